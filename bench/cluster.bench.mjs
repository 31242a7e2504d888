// The serve bench through a real load balancer: N paced Twilio callers against HAProxy in front of two
// `beluga serve` workers (deploy/local/cluster.sh), the largest N the machine holds with every
// worker's loop lag p99 within 10 ms of an idle probe's, no drops and every turn answered.
process.argv.push('--cluster', '--workers', '2');
await import('./serve.bench.mjs');
