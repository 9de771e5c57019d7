// The CLI command that submits a run like this one again: what `snapci run` would need to send the same spec.
// Through Admin Router (the page under /service/<name>/) it is `dcos snapci run`; elsewhere `snapci run --url`.

/** A word as the shell reads it: left bare when that is safe, else in single quotes. */
export function shellWord(value) {
  const text = String(value);
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** PT1H30M as the CLI's own short form (1h30m); anything unusual stays ISO-8601, which the CLI reads too. */
function duration(iso) {
  return /^PT(\d+H)?(\d+M)?(\d+S)?$/.test(iso) ? iso.slice(2).toLowerCase() : iso;
}

/** pageUrl: where the UI is (location.href); the command talks to the service that served it. */
export function cliCommand(run, pageUrl) {
  const url = new URL(pageUrl);
  const base = url.pathname.replace(/[^/]*$/, '');   // the page's directory: the service's base
  const service = base.match(/^\/service\/(.+)\/$/);
  const words = service
      ? ['dcos', 'snapci', 'run', ...(service[1] === 'snapci' ? [] : ['--service-name', service[1]])]
      : ['snapci', 'run', '--url', `${url.origin}${base}`];
  const spec = run.spec || {};
  const option = (name, value) => {
    if (value != null && value !== '') words.push(name, shellWord(value));
  };
  if (!spec.source) words.push('--empty');
  else if (spec.source.volume || spec.source.volumes || spec.source.volumesSelector) {
    for (const volume of spec.source.volumes || [spec.source.volume].filter(Boolean)) option('--volume', volume);
    option('--volumes-selector', spec.source.volumesSelector);
    option('--max-age', spec.source.maxAge && duration(spec.source.maxAge));
  } else {
    for (const dir of spec.source.dataDirs || [spec.source.dataDir]) option('--source-dir', dir);
  }
  option('--test-cmd', spec.testCommand);
  option('--test-image', spec.testImage);
  option('--workdir', spec.workDir);
  option('--junit', spec.junitGlob);
  for (const [key, value] of Object.entries(spec.env || {})) option('-e', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.labels || {})) {
    if (!key.startsWith('snapci.')) option('--label', value ? `${key}=${value}` : key);   // snapci.* are the server's
  }
  const timeouts = spec.timeouts || {};
  option('--ready-timeout', timeouts.cassandraReady && duration(timeouts.cassandraReady));
  option('--test-timeout', timeouts.tests && duration(timeouts.tests));
  option('--run-timeout', timeouts.run && duration(timeouts.run));
  const cassandra = spec.cassandra || {};
  option('--heap', cassandra.heap);
  option('--datacenter', cassandra.datacenter);
  option('--partitioner', cassandra.partitioner);
  option('--cql-port', cassandra.cqlPort);
  return words.join(' ');
}
