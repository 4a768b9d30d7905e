// The SDK warns once per process that Node.js 20 support ends in 2027. Tests run on this machine's Node.js
// 20 by design (the Lambda runtime is 22), so the warning is noise here; child processes inherit this too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
