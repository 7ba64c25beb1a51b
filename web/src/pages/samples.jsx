// Malware samples: upload, report, IOC downloads. Built against the planned API
// (docs/web-console.md): GET/POST /api/v1/samples, GET /api/v1/samples/<sha256>,
// GET /api/v1/samples/<sha256>/iocs?format=F. Until the server has it (404), the page says so.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Empty, ErrorBox, Json, KV, Loaded, PageHead, Section, Time, can, num, useApi } from '../ui.jsx';

const IOC_FORMATS = ['stix', 'yara', 'sigma', 'csv'];

function Report({ sha256 }) {
  const q = useApi(`/api/v1/samples/${sha256}`);
  return (
    <Loaded q={q} what="report">
      {(r) => (
        <Section title={`Report ${sha256.slice(0, 16)}…`}>
          <KV
            rows={[
              ['sha256', <code>{sha256}</code>],
              ['file name', r.file_name || r.name],
              ['status', r.status],
              ['verdict', r.verdict],
              ['submitted', <Time at={r.submitted_at || r.created_at} />],
            ]}
          />
          <div class="rec-actions">
            IOCs:{' '}
            {IOC_FORMATS.map((f) => (
              <a href={`/api/v1/samples/${sha256}/iocs?format=${f}`} download>
                {f}
              </a>
            ))}
          </div>
          <Json value={r.report || r} />
        </Section>
      )}
    </Loaded>
  );
}

export function Samples({ session, query }) {
  const q = useApi('/api/v1/samples', { optional: true });
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const selected = query.get('sha256');

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
  const upload = async (e) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/samples?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
      q.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHead title="Malware samples" />
      {can(session, 'operator') ? (
        <form class="filters" onSubmit={upload}>
          <input type="file" onChange={(e) => setFile(e.target.files[0] || null)} />
          <button class="primary" disabled={!file || busy}>
            {busy ? 'Uploading…' : 'Upload for analysis'}
          </button>
          <span class="muted small">Samples are never executed: they run in mamori's emulator.</span>
          <ErrorBox error={error} what="Upload failed" />
        </form>
      ) : null}
      <Loaded q={q} what="samples">
        {(d) => {
          const list = Array.isArray(d) ? d : d.samples || [];
          return list.length ? (
            <table class="t">
              <thead>
                <tr>
                  <th>sha256</th>
                  <th>name</th>
                  <th>status</th>
                  <th>verdict</th>
                  <th class="n">size</th>
                  <th>submitted</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr>
                    <td>
                      <a class="mono" href={`/ui/samples?sha256=${s.sha256}`}>
                        {s.sha256.slice(0, 16)}…
                      </a>
                    </td>
                    <td>{s.file_name || s.name}</td>
                    <td>{s.status}</td>
                    <td>{s.verdict}</td>
                    <td class="n">{num(s.size)}</td>
                    <td>
                      <Time at={s.submitted_at || s.created_at} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No samples submitted yet.</Empty>
          );
        }}
      </Loaded>
      {selected && /^[0-9a-f]{64}$/i.test(selected) ? <Report sha256={selected} /> : null}
    </>
  );
}
