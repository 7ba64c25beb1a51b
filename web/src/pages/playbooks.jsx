// Playbooks and the response switchboard: kill switch (admin), dry run, counts by state.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { Empty, ErrorBox, KV, Loaded, PageHead, Section, can, fmtDuration, useApi } from '../ui.jsx';

function KillSwitch({ status, session, onChanged }) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const flip = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/respond/kill-switch', { method: 'PUT', body: { on: !status.kill_switch, comment } });
      setComment('');
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (status.enabled === false) {
    return (
      <Section title="Response">
        <div class="state">The response engine is not running: set <code>[respond] enabled = true</code> in mamori.toml and restart <code>mamori serve</code>. Actions can be read but not decided.</div>
      </Section>
    );
  }
  return (
    <Section title="Response">
      {status.devices && status.devices.length ? (
        <div class="muted small">
          devices: {status.devices.map((d) => (typeof d === 'string' ? d : d.name || JSON.stringify(d))).join(', ')}
        </div>
      ) : null}
      <div class="stats">
        <div class="stat">
          <div class={`stat-value ${status.kill_switch ? 'bad' : 'good'}`}>{status.kill_switch ? 'ON' : 'off'}</div>
          <div class="stat-label">kill switch</div>
        </div>
        <div class="stat">
          <div class="stat-value">{status.dry_run ? 'yes' : 'no'}</div>
          <div class="stat-label">dry run</div>
        </div>
        {Object.entries(status.counts || {}).map(([k, v]) => (
          <a class="stat" href={`/ui/actions?state=${k}`}>
            <div class="stat-value">{v}</div>
            <div class="stat-label">{k}</div>
          </a>
        ))}
      </div>
      {can(session, 'admin') ? (
        <form class="filters" onSubmit={flip}>
          <input class="grow" placeholder="comment (goes to the audit log)" value={comment} onInput={(e) => setComment(e.target.value)} required />
          <button class={status.kill_switch ? 'primary' : 'danger'} disabled={busy}>
            {status.kill_switch ? 'Turn kill switch off' : 'Turn kill switch ON (stop all actions)'}
          </button>
          <ErrorBox error={error} what="Could not change the kill switch" />
        </form>
      ) : null}
    </Section>
  );
}

// The playbook's conditions, leaving out the ones that do not filter.
function When({ when }) {
  const rows = Object.entries(when).filter(([k, v]) => {
    if (v === null || v === '' || (Array.isArray(v) && !v.length)) return false;
    if (k === 'min_count' && !v) return false;
    if (k === 'min_level' && v === 'informational') return false;
    if (k === 'min_reputation' && !v) return false;
    return true;
  });
  if (!rows.length) return <div class="muted">every detection</div>;
  return <KV rows={rows.map(([k, v]) => [k.replace(/_/g, ' '), <code>{Array.isArray(v) ? v.join(', ') : String(v)}</code>])} />;
}

export function Playbooks({ session }) {
  const respond = useApi('/api/v1/respond', { optional: true });
  const q = useApi('/api/v1/playbooks', { optional: true });
  if (q.missing && respond.missing) {
    return (
      <>
        <PageHead title="Playbooks" />
        <Empty>Response playbooks are not available on this server.</Empty>
      </>
    );
  }
  return (
    <>
      <PageHead title="Playbooks" />
      {respond.data ? <KillSwitch status={respond.data} session={session} onChanged={respond.reload} /> : null}
      <ErrorBox error={respond.error} what="Could not load the response status" />
      <Loaded q={q} what="playbooks">
        {(d) =>
          <>
          {d.errors && d.errors.length ? (
            <div class="state error">
              <b>Playbooks that did not load:</b>
              <ul>
                {d.errors.map((e) => (
                  <li class="mono small">{e}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {d.playbooks.length ? (
            d.playbooks.map((p) => (
              <Section
                title={
                  <>
                    {p.title || p.id} <span class="muted small mono">{p.id}</span>
                  </>
                }
                tools={
                  <>
                    <span class={`badge ${p.mode === 'auto' ? 'warn' : ''}`}>{p.mode}</span>{' '}
                    <span class={`badge ${p.enabled ? 'good' : ''}`}>{p.enabled ? 'enabled' : 'disabled'}</span>
                  </>
                }
              >
                <div class="grid2">
                  <div>
                    <h3>When</h3>
                    <When when={p.when || {}} />
                  </div>
                  <div>
                    <h3>Actions</h3>
                    <table class="t">
                      <thead>
                        <tr>
                          <th>type</th>
                          <th>on</th>
                          <th>device</th>
                          <th>duration</th>
                          <th>options</th>
                        </tr>
                      </thead>
                      <tbody>
                        {(p.actions || []).map((a) => (
                          <tr>
                            <td>
                              <b>{a.type}</b>
                            </td>
                            <td>{a.value}</td>
                            <td>{a.device || <span class="muted">first that supports it</span>}</td>
                            <td>{a.duration_seconds ? fmtDuration(a.duration_seconds) : <span class="muted">default</span>}</td>
                            <td class="mono small">
                              {[a.widen_v4 ? `widen /${a.widen_v4}` : '', a.widen_v6 ? `widen /${a.widen_v6}` : '', a.boost ? `boost +${a.boost}` : '', a.params ? JSON.stringify(a.params) : '']
                                .filter(Boolean)
                                .join(' · ')}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    <div class="muted small mono">{p.file}</div>
                  </div>
                </div>
              </Section>
            ))
          ) : (
            <Empty>No playbooks loaded.</Empty>
          )}
          </>
        }
      </Loaded>
    </>
  );
}
