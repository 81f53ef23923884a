/** Labels on every Docker object the extension makes; objects are found by these. */
export const LABEL_NAMESPACE = 'agent-containers.namespace';
/** Containers: the workspace folder's absolute host path. */
export const LABEL_WORKSPACE = 'agent-containers.workspace';
/** Containers: hash of the create options, to notice a changed spec. */
export const LABEL_SPEC_HASH = 'agent-containers.spec-hash';
/** Images: hash of the build inputs, which also names the tag. */
export const LABEL_INPUTS_HASH = 'agent-containers.inputs-hash';
/** Volumes: the tool they belong to. */
export const LABEL_TOOL = 'agent-containers.tool';
