// The Next.js app of the runtime matrix (see ../README.md): built with `next build`, served by
// `next start` on 127.0.0.1. Nothing to configure: the @org packages are imported by name and
// resolve to their built dist through the workspace, as an installed package would.
/** @type {import('next').NextConfig} */
const config = {};

export default config;
