// The append-only, hash-chained audit log, newest first, with a chain check.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { Empty, ErrorBox, Loaded, PageHead, Time, useApi } from '../ui.jsx';

export function Audit({ query }) {
  const before = query.get('before_id') || '';
  const q = useApi(withQuery('/api/v1/audit', { before_id: before, limit: 100 }), { optional: true });
  const [verify, setVerify] = useState(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    try {
      setVerify({ result: await api('/api/v1/audit/verify') });
    } catch (error) {
      setVerify({ error });
    } finally {
      setBusy(false);
    }
  };
  if (q.missing) {
    return (
      <>
        <PageHead title="Audit log" />
        <Empty>The audit log is not served by this server (use `mamori audit list`).</Empty>
      </>
    );
  }
  const v = verify && verify.result;
  return (
    <>
      <PageHead title="Audit log">
        <button onClick={check} disabled={busy}>
          {busy ? 'Checking…' : 'Verify chain'}
        </button>
      </PageHead>
      {verify && verify.error ? <ErrorBox error={verify.error} what="Could not verify" /> : null}
      {v ? (
        v.first_bad_id ? (
          <div class="state error banner" data-testid="audit-verify">
            Chain BROKEN at entry #{v.first_bad_id}: {v.reason}
          </div>
        ) : (
          <div class="state ok banner" data-testid="audit-verify">
            Chain intact: {v.entries} entries, head <code>{(v.head_hash || '').slice(0, 16)}…</code>
          </div>
        )
      ) : null}
      <Loaded q={q} what="audit log">
        {(d) => {
          const entries = d.entries || [];
          const next = d.next_before_id ?? (entries.length === 100 ? entries[entries.length - 1].id : null);
          return (
            <>
              {entries.length ? (
                <table class="t" data-testid="audit">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>at</th>
                      <th>actor</th>
                      <th>action</th>
                      <th>target</th>
                      <th>details</th>
                      <th>hash</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((e) => (
                      <tr>
                        <td>{e.id}</td>
                        <td>
                          <Time at={e.at} />
                        </td>
                        <td class="mono">{e.actor}</td>
                        <td>
                          <b>{e.action}</b>
                        </td>
                        <td class="mono">{e.target}</td>
                        <td class="mono small details">{e.details && Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</td>
                        <td class="mono small muted" title={e.hash}>
                          {(e.hash || '').slice(0, 10)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>The audit log is empty.</Empty>
              )}
              {next ? (
                <div class="pager">
                  <a href={withQuery('/ui/audit', { before_id: next })}>Older →</a>
                </div>
              ) : null}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
