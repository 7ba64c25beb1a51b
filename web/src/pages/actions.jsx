// Response actions: the recommendation queue (proposed actions waiting for an operator), the
// list of all actions with filters, and one action with its evidence and decisions.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../api.js';
import { navigate } from '../router.js';
import { Empty, ErrorBox, Ind, Json, KV, Loaded, PageHead, Section, State, Time, can, fmtDuration, useApi } from '../ui.jsx';

const STATES = ['proposed', 'pending', 'active', 'done', 'failed', 'expired', 'rolled_back', 'rejected', 'refused', 'dry_run'];
const DURATIONS = [
  [3600, '1 hour'],
  [6 * 3600, '6 hours'],
  [86400, '1 day'],
  [7 * 86400, '7 days'],
  [30 * 86400, '30 days'],
  [0, 'permanent'],
];

function widen(target) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(target || '');
  return m ? `${m[1]}.${m[2]}.${m[3]}.0/24` : null;
}

// The approve / reject / rollback form of one action; calls onDone with the updated action.
function Decide({ action, verb, onDone, onCancel }) {
  const [comment, setComment] = useState('');
  const [duration, setDuration] = useState(action.duration_seconds ?? 86400);
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const wide = widen(action.target);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { comment };
    if (verb === 'approve') {
      body.duration_seconds = Number(duration);
      if (target.trim()) body.target = target.trim();
    }
    try {
      onDone(await api(`/api/v1/actions/${action.id}/${verb}`, { method: 'POST', body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const durations = DURATIONS.some(([s]) => s === Number(duration)) ? DURATIONS : [[Number(duration), fmtDuration(Number(duration))], ...DURATIONS];
  return (
    <form class="decide" onSubmit={submit}>
      {verb === 'approve' ? (
        <>
          <label>
            Duration
            <select value={duration} onChange={(e) => setDuration(e.target.value)} name="duration">
              {durations.map(([s, l]) => (
                <option value={s}>{l}</option>
              ))}
            </select>
          </label>
          <label>
            Widen target
            <input name="target" class="mono" placeholder={action.target} value={target} onInput={(e) => setTarget(e.target.value)} />
            {wide ? (
              <button type="button" class="link" onClick={() => setTarget(wide)}>
                {wide}
              </button>
            ) : null}
          </label>
        </>
      ) : null}
      <label class="grow">
        Comment{verb === 'approve' ? '' : ' (required)'}
        <input name="comment" value={comment} onInput={(e) => setComment(e.target.value)} required={verb !== 'approve'} placeholder="why (goes to the audit log)" />
      </label>
      <button type="submit" class={verb === 'approve' ? 'primary' : 'danger'} disabled={busy}>
        {busy ? '…' : { approve: 'Confirm approval', reject: 'Confirm rejection', rollback: 'Confirm rollback' }[verb]}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ErrorBox error={error} what={`Could not ${verb}`} />
    </form>
  );
}

// One proposed action as a card in the queue.
function Recommendation({ action, session, onDecided }) {
  const [verb, setVerb] = useState(null);
  const [result, setResult] = useState(null);
  if (result) {
    return (
      <div class="rec done" data-testid="recommendation-decided">
        <State state={result.state} /> #{result.id} {result.kind} <Ind value={result.target} /> — {result.decided_by ? `by ${result.decided_by}` : ''}{' '}
        <a href={`/ui/actions/${result.id}`}>open</a>
      </div>
    );
  }
  return (
    <div class="rec" data-testid="recommendation">
      <div class="rec-head">
        <span class="rec-title">
          <b>{action.kind}</b> <Ind value={action.target} /> on <b>{action.device || '—'}</b>
        </span>
        <span class="muted">
          #{action.id} · playbook {action.playbook} · <Time at={action.created_at} />
        </span>
      </div>
      <div class="rec-body">
        <div>{action.reason}</div>
        {action.expected_effect ? <div class="muted">Expected effect: {action.expected_effect}</div> : null}
        <div class="muted small">
          {action.detection_id ? (
            <>
              <a href={`/ui/detections/${action.detection_id}`}>detection #{action.detection_id}</a> ·{' '}
            </>
          ) : null}
          duration {fmtDuration(action.duration_seconds)} · <a href={`/ui/actions/${action.id}`}>evidence</a>
        </div>
      </div>
      {can(session, 'operator') ? (
        verb ? (
          <Decide
            action={action}
            verb={verb}
            onCancel={() => setVerb(null)}
            onDone={(a) => {
              setResult(a);
              onDecided && onDecided(a);
            }}
          />
        ) : (
          <div class="rec-actions">
            <button class="primary" onClick={() => setVerb('approve')}>
              Approve…
            </button>
            <button onClick={() => setVerb('reject')}>Reject…</button>
            <a href={`/ui/actions/${action.id}`}>details</a>
          </div>
        )
      ) : null}
    </div>
  );
}

function Unavailable() {
  return <Empty>Response actions are not available on this server (no /api/v1/actions).</Empty>;
}

// Cards are heavier than table rows: the queue shows 50 at a time, newest first, and pages.
const QUEUE_PAGE = 50;

export function Queue({ session, query }) {
  const before = query.get('before_id') || '';
  const q = useApi(withQuery('/api/v1/actions', { state: 'proposed', before_id: before, limit: QUEUE_PAGE }), { optional: true });
  return (
    <>
      <PageHead title="Recommendation queue">
        <button onClick={q.reload}>Refresh</button>
      </PageHead>
      {session && !can(session, 'operator') ? <div class="state">You can read the queue; deciding needs the operator role.</div> : null}
      {q.missing ? (
        <Unavailable />
      ) : (
        <Loaded q={q} what="recommendations">
          {(d) =>
            d.actions.length ? (
              <>
                <div class="recs">
                  {d.actions.map((a) => (
                    <Recommendation key={a.id} action={a} session={session} />
                  ))}
                </div>
                {d.next_before_id ? (
                  <div class="pager">
                    <a href={withQuery('/ui/queue', { before_id: d.next_before_id })}>Older →</a>
                  </div>
                ) : null}
              </>
            ) : (
              <Empty>{before ? 'No older recommendations.' : 'Nothing waits for a decision.'}</Empty>
            )
          }
        </Loaded>
      )}
    </>
  );
}

export function Actions({ query }) {
  const filters = {
    state: query.get('state') || '',
    kind: query.get('kind') || '',
    target: query.get('target') || '',
    playbook: query.get('playbook') || '',
    before_id: query.get('before_id') || '',
  };
  const q = useApi(withQuery('/api/v1/actions', { ...filters, limit: 100 }), { optional: true });
  const set = (k, v) => navigate(withQuery('/ui/actions', { ...filters, before_id: '', [k]: v }));
  return (
    <>
      <PageHead title="Actions" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.target);
          navigate(withQuery('/ui/actions', { state: f.get('state'), kind: f.get('kind'), target: f.get('target'), playbook: f.get('playbook') }));
        }}
      >
        <label>
          State
          <select name="state" value={filters.state} onChange={(e) => set('state', e.target.value)}>
            <option value="">any</option>
            <option value="active,pending">in force</option>
            {STATES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Kind <input name="kind" value={filters.kind} />
        </label>
        <label>
          Target <input name="target" class="mono" value={filters.target} />
        </label>
        <label>
          Playbook <input name="playbook" value={filters.playbook} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {q.missing ? (
        <Unavailable />
      ) : (
        <Loaded q={q} what="actions">
          {(d) => (
            <>
              {d.actions.length ? (
                <table class="t" data-testid="actions">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>state</th>
                      <th>mode</th>
                      <th>action</th>
                      <th>target</th>
                      <th>device</th>
                      <th>playbook</th>
                      <th>created</th>
                      <th>decided by</th>
                      <th>expires</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.actions.map((a) => (
                      <tr>
                        <td>
                          <a href={`/ui/actions/${a.id}`}>{a.id}</a>
                        </td>
                        <td>
                          <State state={a.state} />
                        </td>
                        <td>{a.mode}</td>
                        <td>{a.kind}</td>
                        <td>
                          <Ind value={a.target} />
                        </td>
                        <td>{a.device}</td>
                        <td>{a.playbook}</td>
                        <td>
                          <Time at={a.created_at} />
                        </td>
                        <td>{a.decided_by || <span class="muted">—</span>}</td>
                        <td>
                          <Time at={a.expires_at} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No actions match.</Empty>
              )}
              {d.next_before_id ? (
                <div class="pager">
                  <a href={withQuery('/ui/actions', { ...filters, before_id: d.next_before_id })}>Older →</a>
                </div>
              ) : null}
            </>
          )}
        </Loaded>
      )}
    </>
  );
}

export function ActionDetail({ params, session }) {
  const q = useApi(`/api/v1/actions/${encodeURIComponent(params.id)}`, { optional: true });
  const [verb, setVerb] = useState(null);
  const [updated, setUpdated] = useState(null);
  if (q.missing && !updated) return <Empty>No action #{params.id} (or response actions are not available on this server).</Empty>;
  return (
    <Loaded q={updated ? { data: updated } : q} what={`action #${params.id}`}>
      {(a) => (
        <>
          <PageHead title={`Action #${a.id}`}>
            <State state={a.state} />
          </PageHead>
          <Section title={`${a.kind} ${a.target}`}>
            <KV
              rows={[
                ['target', <Ind value={a.target} />],
                ['device', a.device],
                ['playbook', a.playbook],
                ['mode', a.mode],
                ['duration', fmtDuration(a.duration_seconds)],
                ['reason', a.reason],
                ['expected effect', a.expected_effect],
                ['detection', a.detection_id ? <a href={`/ui/detections/${a.detection_id}`}>#{a.detection_id}</a> : null],
                ['created', <Time at={a.created_at} />],
                ['decided', a.decided_at ? <><Time at={a.decided_at} /> by {a.decided_by}</> : null],
                ['comment', a.comment],
                ['applied', <Time at={a.applied_at} />],
                ['expires', a.expires_at ? <Time at={a.expires_at} /> : a.state === 'active' ? 'never' : null],
                ['ended', <Time at={a.ended_at} />],
                ['attempts', a.attempts],
                ['last error', a.last_error ? <span class="error-text">{a.last_error}</span> : null],
              ]}
            />
            {can(session, 'operator') && ['proposed', 'active', 'pending'].includes(a.state) ? (
              verb ? (
                <Decide action={a} verb={verb} onCancel={() => setVerb(null)} onDone={(x) => { setUpdated(x); setVerb(null); }} />
              ) : (
                <div class="rec-actions">
                  {a.state === 'proposed' ? (
                    <>
                      <button class="primary" onClick={() => setVerb('approve')}>Approve…</button>
                      <button onClick={() => setVerb('reject')}>Reject…</button>
                    </>
                  ) : (
                    <button class="danger" onClick={() => setVerb('rollback')}>Roll back…</button>
                  )}
                </div>
              )
            ) : null}
          </Section>
          <div class="grid2">
            <Section title="Parameters">
              <Json value={a.params || {}} />
            </Section>
            <Section title="Evidence">
              <Json value={a.evidence || {}} />
            </Section>
          </div>
          <div class="muted small">
            <a href={`/ui/audit`}>audit log</a> · <a href={withQuery('/ui/actions', { target: a.target })}>other actions on this target</a>
          </div>
        </>
      )}
    </Loaded>
  );
}
