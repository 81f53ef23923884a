export interface EngineInfo {
    readonly host: string;
    readonly version: string;
    readonly apiVersion: string;
}
