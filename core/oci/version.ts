/** The runtime-spec version kit-runtime implements (state JSON, features, `--version`); its own module, so `state` loads no more than this. */
export const OCI_VERSION = '1.0.2';
