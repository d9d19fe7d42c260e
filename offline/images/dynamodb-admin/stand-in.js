// STAND-IN entry point (see the Dockerfile beside this file). The real image runs
// dynamodb-admin under tini; here node is PID 1, which ignores SIGTERM unless it handles it, so
// `docker compose stop` would wait 10 s and then kill it.
'use strict'
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0))
require('/opt/dynamodb-admin/node_modules/dynamodb-admin/dist/dynamodb-admin.js')
