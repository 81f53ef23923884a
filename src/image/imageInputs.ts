/**
 * Turns settings into the inputs of an image build, reading the CA certificate files the
 * user listed.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SettingsError, type Settings } from '../config/settings';
import type { ImageBuildInputs } from './buildContext';

/** Reads the CA files; a missing or non-PEM file fails with a message naming the setting. */
export async function imageBuildInputs(settings: Settings): Promise<ImageBuildInputs> {
    const caCertificates = [];
    for (const path of settings.image.caCertificates) {
        let pem: string;
        try {
            pem = await readFile(path, 'utf8');
        } catch (error) {
            const reason = (error as NodeJS.ErrnoException).code ?? String(error);
            throw new SettingsError(
                'agentContainers.image.caCertificates',
                `cannot read ${path} (${reason})`,
            );
        }
        if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
            throw new SettingsError(
                'agentContainers.image.caCertificates',
                `${path} holds no PEM certificate`,
            );
        }
        caCertificates.push({ name: basename(path), pem });
    }
    const versions = Object.fromEntries(
        Object.entries(settings.tools).map(([id, tool]) => [id, tool.version]),
    );
    return { baseImage: settings.image.baseImage, versions, caCertificates };
}
