// Every test runs with fake static credentials and no instance metadata,
// so that no AWS client can reach a real endpoint or 169.254.169.254.
import 'reflect-metadata';

process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEFAKEKEY00';
process.env.AWS_SECRET_ACCESS_KEY = 'fake-secret-access-key-for-tests';
process.env.AWS_REGION = 'us-west-2';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
// The pinned SDK supports Node.js 20; its notice about future releases
// needing Node.js 22 would repeat in every test file's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
