// Preloaded by a test (NODE_OPTIONS=--require): prints what the process was started with.
process.stderr.write(`NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS}\n`);
