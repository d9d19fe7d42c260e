// The offline stand-in for DynamoDB Local's server (see Dockerfile beside this file for why).
//
// Takes DynamoDB Local's command line (what follows `java` in the real image, e.g.
// `-jar DynamoDBLocal.jar -sharedDb -inMemory -disableTelemetry`) and serves dynalite with the
// equivalent settings. Unknown options fail, as on the real jar, so a typo in docker-compose.yml
// is caught here too. One behaviour is adapted so the compose healthcheck works unchanged on both
// images: DynamoDB Local answers an unsigned GET/HEAD with HTTP 400 (missing authentication
// token), where dynalite answers 200 (it imitates the AWS endpoint's health page).
'use strict'
const dynalite = require('/opt/dynalite/node_modules/dynalite')

const opts = { port: 8000, path: undefined }
const args = process.argv.slice(2)
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  switch (a) {
    case '-jar': i++; break // DynamoDBLocal.jar: nothing to load
    case '-sharedDb': break // dynalite keeps one database for every key pair and region
    case '-inMemory': opts.path = undefined; break // dynalite's default
    case '-disableTelemetry': break // dynalite sends no telemetry
    case '-delayTransientStatuses': case '-optimizeDbBeforeStartup': break // accepted, not emulated
    case '-cors': i++; break // accepted (takes a value), not emulated
    case '-port': opts.port = Number(args[++i]); break
    case '-dbPath': opts.path = args[++i]; break
    default:
      if (/^-(D|X)/.test(a)) break // JVM options
      console.error(`dynamodb-local stand-in: unsupported option: ${a}`)
      process.exit(2)
  }
}

// Tables become ACTIVE at once, as on DynamoDB Local (dynalite's default is 500 ms CREATING).
const server = dynalite({ path: opts.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
const [dynaliteHandler] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0' })
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken',
      Message: 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.',
    }))
    return
  }
  dynaliteHandler(req, res)
})
// PID 1 in a container: end on SIGINT/SIGTERM like the JVM does.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0))
server.listen(opts.port, () => {
  console.log(`dynamodb-local stand-in: dynalite listening on port ${opts.port}` +
    (opts.path ? ` (data in ${opts.path})` : ' (in memory)'))
})
