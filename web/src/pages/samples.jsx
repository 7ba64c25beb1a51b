// Malware samples: upload, the queue of submitted samples, and one sample's behaviour report with
// downloads (the JSON report and plain IOC lists). Reads only the documented API (docs/api.md):
// POST/GET /api/v1/samples, GET /api/v1/samples/<id>, /report and /iocs?format=txt|json|csv.
//
// The report is attacker-controlled (file names, registry values, mutex names, decoded strings …).
// Everything from it is rendered as JSX text children or attribute values, which Preact escapes
// (text nodes are created with document.createTextNode); this file never uses
// dangerouslySetInnerHTML, and links are built only from the numeric sample id.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { Empty, ErrorBox, KV, Loaded, PageHead, Section, State, Time, can, num, useApi } from '../ui.jsx';

const PAGE = 50;
const POLL_MS = 2000;
const ROWS_PER_KIND = 300; // more behind "Show all": a large report must not slow the page down
// Behaviour kinds in the order an analyst reads them; other kinds follow alphabetically.
const KIND_ORDER = ['file', 'registry', 'network', 'process', 'injection', 'mutex', 'service', 'exception', 'string', 'query'];
const COMMON_KEYS = new Set(['seq', 'pid', 'tid', 'kind', 'op']);

const busyStatus = (s) => s === 'queued' || s === 'running';

// Reloads `q` every POLL_MS while `active`; stops by itself once it is not (one timer per answer).
function usePoll(active, q) {
  useEffect(() => {
    if (!active) return undefined;
    const t = setTimeout(q.reload, POLL_MS);
    return () => clearTimeout(t);
  }, [active, q.data, q.reload]);
}

// What an upload error means for the user: the server's message plus what to do about it.
function uploadError(err) {
  if (err instanceof TypeError) {
    // The server answers 413 from Content-Length and closes before the body is read; a
    // browser may report that as a failed request instead of the 413.
    return new Error(`the upload was cut off (${err.message}); the file may be larger than the server's limit ([analysis] max_sample_mb)`);
  }
  if (err.status === 413) return new Error(`file too large: ${err.message}`);
  if (err.status === 403) {
    return new Error(
      err.code === 'csrf' ? 'the session token was refused: reload the page and try again' : 'submitting samples needs the operator role',
    );
  }
  if (err.status === 400) return new Error(`the server refused the file: ${err.message}`);
  if (err.status === 503) return new Error(`sample analysis is switched off on this server: ${err.message}`);
  return err;
}

function UploadForm({ onDone }) {
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [over, setOver] = useState(false);
  const [accepted, setAccepted] = useState(null);
  const pick = (f) => {
    setFile(f || null);
    setError(null);
  };
  const upload = async (e) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setAccepted(null);
    try {
      const a = await api(`/api/v1/samples?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
      setAccepted(a);
      onDone();
    } catch (err) {
      setError(uploadError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class={over ? 'card upload over' : 'card upload'}
      data-testid="sample-upload"
      onSubmit={upload}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        pick(e.dataTransfer && e.dataTransfer.files[0]);
      }}
    >
      <div class="filters">
        <label class="grow">
          Sample (choose a file or drop it here)
          <input type="file" name="sample" onChange={(e) => pick(e.target.files[0])} />
        </label>
        <button class="primary" disabled={!file || busy}>
          {busy ? 'Uploading…' : 'Upload for analysis'}
        </button>
      </div>
      <div class="muted small">
        {file ? `${file.name}, ${num(file.size)} bytes. ` : ''}Samples are never executed: they run in mamori's emulator, in a
        confined worker process.
      </div>
      <ErrorBox error={error} what="Upload failed" />
      {accepted ? (
        <div class="state ok" data-testid="upload-accepted">
          Queued as <a href={`/ui/samples/${Number(accepted.id)}`}>#{accepted.id}</a> ({accepted.file_name})
        </div>
      ) : null}
    </form>
  );
}

export function Samples({ session, query }) {
  const before = query.get('before_id') || '';
  const q = useApi(withQuery('/api/v1/samples', { before_id: before, limit: PAGE }), { optional: true });
  const list = (q.data && q.data.samples) || [];
  usePoll(list.some((s) => busyStatus(s.status)), q);

  if (q.missing) {
    return (
      <>
        <PageHead title="Malware samples" />
        <Empty>
          <span data-testid="samples-unavailable">Malware analysis is not available in this build of mamori.</span> Sample upload,
          behaviour reports and IOC downloads appear here once the server provides them.
        </Empty>
      </>
    );
  }
  return (
    <>
      <PageHead title="Malware samples">
        {list.some((s) => busyStatus(s.status)) ? <span class="muted small">refreshing every 2 s while samples are analysed</span> : null}
      </PageHead>
      {can(session, 'operator') ? <UploadForm onDone={q.reload} /> : null}
      <Loaded q={q} what="samples">
        {(d) => {
          const rows = d.samples || [];
          return (
            <>
              {rows.length ? (
                <table class="t" data-testid="samples">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>name</th>
                      <th>status</th>
                      <th>result</th>
                      <th class="n">events</th>
                      <th class="n">size</th>
                      <th>sha256</th>
                      <th>submitted</th>
                      <th>by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((s) => (
                      <tr data-testid="sample-row">
                        <td>
                          <a href={`/ui/samples/${Number(s.id)}`}>#{s.id}</a>
                        </td>
                        <td class="details">
                          <a href={`/ui/samples/${Number(s.id)}`}>{s.file_name}</a>
                        </td>
                        <td>
                          <State state={s.status} />
                        </td>
                        <td>{s.report_status || (s.error ? <span class="error-text">{s.error}</span> : '')}</td>
                        <td class="n">{s.summary && s.summary.events !== undefined ? num(s.summary.events) : ''}</td>
                        <td class="n">{num(s.size)}</td>
                        <td class="mono small" title={s.sha256}>
                          {(s.sha256 || '').slice(0, 16)}…
                        </td>
                        <td>
                          <Time at={s.submitted_at} />
                        </td>
                        <td class="mono small">{s.submitted_by}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No samples submitted yet.</Empty>
              )}
              {d.next_before_id ? (
                <div class="pager">
                  <a href={withQuery('/ui/samples', { before_id: d.next_before_id })}>Older →</a>
                </div>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </>
  );
}

// ---- one sample --------------------------------------------------------------------------------

const text = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function ProcessTree({ processes }) {
  const pids = new Set(processes.map((p) => p.pid));
  const children = new Map();
  for (const p of processes) {
    const parent = pids.has(p.parent_pid) && p.parent_pid !== p.pid ? p.parent_pid : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(p);
  }
  const seen = new Set();
  const branch = (parent) => {
    const list = (children.get(parent) || []).filter((p) => !seen.has(p.pid));
    if (!list.length) return null;
    list.forEach((p) => seen.add(p.pid));
    return (
      <ul class="ptree">
        {list.map((p) => (
          <li>
            <b>{p.name}</b> <span class="muted">pid {p.pid}</span>
            {p.sample_code ? <span class="badge bad">sample code</span> : null}{' '}
            <span class="muted small">exit {p.exit_code}</span>
            <div class="mono small details">{p.command_line || p.image}</div>
            {branch(p.pid)}
          </li>
        ))}
      </ul>
    );
  };
  return branch(null);
}

function EventTable({ kind, events }) {
  const [all, setAll] = useState(false);
  const cols = [];
  const known = new Set();
  for (const e of events) {
    for (const k of Object.keys(e)) {
      if (!COMMON_KEYS.has(k) && !known.has(k)) {
        known.add(k);
        cols.push(k);
      }
    }
  }
  const shown = all ? events : events.slice(0, ROWS_PER_KIND);
  return (
    <Section
      title={`${kind} (${num(events.length)})`}
      tools={
        events.length > shown.length ? (
          <button class="link" onClick={() => setAll(true)}>
            Show all {num(events.length)}
          </button>
        ) : null
      }
    >
      <table class="t" data-testid={`events-${kind}`}>
        <thead>
          <tr>
            <th class="n">seq</th>
            <th class="n">pid</th>
            <th class="n">tid</th>
            <th>op</th>
            {cols.map((c) => (
              <th>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr>
              <td class="n">{e.seq}</td>
              <td class="n">{e.pid}</td>
              <td class="n">{e.tid}</td>
              <td>
                <b>{text(e.op)}</b>
              </td>
              {cols.map((c) => (
                <td class="mono small details">{text(e[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function Behaviour({ events }) {
  const byKind = new Map();
  for (const e of events) {
    const k = text(e.kind) || '?';
    if (!byKind.has(k)) byKind.set(k, []);
    byKind.get(k).push(e);
  }
  const kinds = [...byKind.keys()].sort((a, b) => {
    const ia = KIND_ORDER.indexOf(a);
    const ib = KIND_ORDER.indexOf(b);
    if (ia !== ib) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  if (!kinds.length) return <Empty>No behaviour events.</Empty>;
  return (
    <div data-testid="behaviour">
      {kinds.map((k) => (
        <EventTable kind={k} events={byKind.get(k)} />
      ))}
    </div>
  );
}

function Downloads({ id, sha256 }) {
  const base = `/api/v1/samples/${Number(id)}`;
  const stem = /^[0-9a-f]{64}$/.test(sha256 || '') ? sha256 : `sample-${Number(id)}`;
  return (
    <div class="rec-actions" data-testid="downloads">
      <b>Download:</b>
      <a href={`${base}/report`} download={`${stem}.report.json`} data-testid="download-report">
        JSON report
      </a>
      <span class="muted">IOCs (hashes, domains, IPs, URLs, files written, registry keys, mutexes):</span>
      {['txt', 'csv', 'json'].map((f) => (
        <a href={`${base}/iocs?format=${f}`} download={`${stem}.iocs.${f}`} data-testid={`download-iocs-${f}`}>
          {f}
        </a>
      ))}
    </div>
  );
}

function Report({ report }) {
  const run = report.run;
  const processes = report.processes || [];
  const unimplemented = Object.entries(report.unimplemented_apis || {}).sort((a, b) => b[1] - a[1]);
  const errors = report.errors || [];
  const dropped = report.dropped_files || [];
  const truncated = report.truncated || {};
  return (
    <>
      {report.status && report.status !== 'analyzed' ? (
        <div class="state error banner">
          Not run: {report.status}
          {report.status_detail ? ` — ${report.status_detail}` : ''}
        </div>
      ) : null}
      {run ? (
        <Section title="Run">
          <KV
            rows={[
              ['end reason', <b data-testid="end-reason">{run.end_reason}</b>],
              run.detail ? ['detail', run.detail] : null,
              ['instructions', num(run.instructions)],
              ['API calls', num(run.api_calls)],
              ['wall time', run.wall_seconds !== undefined ? `${Number(run.wall_seconds).toFixed(2)} s` : null],
              report.pe ? ['PE', `${report.pe.arch || ''} ${report.pe.type || ''}, subsystem ${text(report.pe.subsystem)}`] : null,
              truncated.api_calls_dropped || truncated.events_dropped
                ? ['dropped beyond the caps', `${num(truncated.api_calls_dropped)} API calls, ${num(truncated.events_dropped)} events`]
                : null,
            ]}
          />
        </Section>
      ) : null}
      {processes.length ? (
        <Section title={`Process tree (${processes.length})`}>
          <ProcessTree processes={processes} />
        </Section>
      ) : null}
      {run ? (
        <>
          <h3>Behaviour</h3>
          <Behaviour events={report.events || []} />
        </>
      ) : null}
      {dropped.length ? (
        <Section title={`Dropped files (${dropped.length})`}>
          <table class="t">
            <thead>
              <tr>
                <th>path</th>
                <th class="n">size</th>
                <th>sha256</th>
              </tr>
            </thead>
            <tbody>
              {dropped.map((f) => (
                <tr>
                  <td class="mono small details">{text(f.path)}</td>
                  <td class="n">{num(f.size)}</td>
                  <td class="mono small">{text(f.sha256)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      {unimplemented.length ? (
        <Section title={`Unimplemented APIs (${unimplemented.length})`}>
          <table class="t" data-testid="unimplemented">
            <thead>
              <tr>
                <th>API</th>
                <th class="n">calls</th>
              </tr>
            </thead>
            <tbody>
              {unimplemented.map(([apiName, n]) => (
                <tr>
                  <td class="mono small">{apiName}</td>
                  <td class="n">{num(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      {errors.length ? (
        <Section title={`Errors (${errors.length})`}>
          <ul class="events">
            {errors.map((e) => (
              <li class="mono small">{text(e)}</li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

export function SampleDetail({ params }) {
  const id = /^\d{1,18}$/.test(params.id) ? params.id : null;
  // The sample and its report are asked at the same time (one round trip for a finished sample);
  // the report answers 404 until the analysis finished and is asked again when it has.
  const q = useApi(id ? `/api/v1/samples/${id}` : null);
  const r = useApi(id ? `/api/v1/samples/${id}/report` : null, { optional: true });
  const s = q.data;
  const running = !!s && busyStatus(s.status);
  usePoll(running, q);
  useEffect(() => {
    if (s && !busyStatus(s.status) && r.missing) r.reload();
  }, [s && s.status]);

  if (!id) return <Empty>No such sample: {params.id}</Empty>;
  const hashes = (r.data && r.data.sample) || {};
  return (
    <>
      <PageHead title={s ? s.file_name || `sample #${id}` : `Sample #${id}`}>
        {s ? <State state={s.status} /> : null}
        <a href="/ui/samples">← all samples</a>
      </PageHead>
      <Loaded q={q} what="sample">
        {(d) => (
          <>
            <Section title={`Sample #${d.id}`}>
              <KV
                rows={[
                  ['status', <span data-testid="sample-status">{d.status}</span>],
                  ['result', d.report_status],
                  d.error ? ['error', <span class="error-text">{d.error}</span>] : null,
                  ['sha256', <code>{d.sha256}</code>],
                  ['sha1', hashes.sha1 ? <code>{hashes.sha1}</code> : null],
                  ['md5', hashes.md5 ? <code>{hashes.md5}</code> : null],
                  hashes.imphash ? ['imphash', <code>{hashes.imphash}</code>] : null,
                  hashes.ssdeep ? ['ssdeep', <code>{hashes.ssdeep}</code>] : null,
                  hashes.tlsh ? ['tlsh', <code>{hashes.tlsh}</code>] : null,
                  ['size', `${num(d.size)} bytes`],
                  ['submitted', <><Time at={d.submitted_at} /> by <span class="mono">{d.submitted_by}</span></>],
                  ['started', <Time at={d.started_at} />],
                  ['finished', <Time at={d.finished_at} />],
                ]}
              />
              {busyStatus(d.status) ? (
                <div class="muted small">The analysis is {d.status}; this page refreshes every 2 s until it finished.</div>
              ) : (
                <Downloads id={d.id} sha256={d.sha256} />
              )}
            </Section>
            {r.error ? <ErrorBox error={r.error} what="Could not load the report" /> : null}
            {r.data ? <Report report={r.data} /> : !busyStatus(d.status) && r.loading ? <div class="state loading">Loading the report…</div> : null}
          </>
        )}
      </Loaded>
    </>
  );
}

