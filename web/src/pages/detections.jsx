// Detections: the list with filters and paging, and one detection with its evidence.
import { useState } from 'preact/hooks';
import { withQuery } from '../api.js';
import { navigate } from '../router.js';
import { Empty, Ind, KV, Level, LEVELS, Loaded, PageHead, Section, State, Time, num, useApi } from '../ui.jsx';

export function Detections({ query }) {
  const f = {
    since: query.get('since') ?? '24h',
    level: query.get('level') || '',
    rule: query.get('rule') || '',
    group: query.get('group') || '',
    ongoing: query.get('ongoing') || '',
    before: query.get('before') || '',
  };
  const q = useApi(withQuery('/api/v1/detections', { ...f, since: f.since === 'all' ? '' : f.since, limit: 100 }));
  const go = (changes) => navigate(withQuery('/ui/detections', { ...f, before: '', ...changes }));
  return (
    <>
      <PageHead title="Detections" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const d = new FormData(e.target);
          go({ rule: d.get('rule'), group: d.get('group') });
        }}
      >
        <label>
          Since
          <select value={f.since} onChange={(e) => go({ since: e.target.value })}>
            {['1h', '24h', '7d', '30d', 'all'].map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Level ≥
          <select value={f.level} onChange={(e) => go({ level: e.target.value })}>
            <option value="">any</option>
            {LEVELS.map((l) => (
              <option value={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          Rule <input name="rule" value={f.rule} />
        </label>
        <label>
          Group <input name="group" class="mono" value={f.group} placeholder="address" />
        </label>
        <label class="check">
          <input type="checkbox" checked={f.ongoing === '1'} onChange={(e) => go({ ongoing: e.target.checked ? '1' : '' })} /> ongoing only
        </label>
        <button type="submit">Filter</button>
      </form>
      <Loaded q={q} what="detections">
        {(d) => (
          <>
            {d.detections.length ? (
              <table class="t" data-testid="detections">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>level</th>
                    <th>rule</th>
                    <th>group</th>
                    <th>target</th>
                    <th class="n">events</th>
                    <th>first</th>
                    <th>last</th>
                    <th>input</th>
                  </tr>
                </thead>
                <tbody>
                  {d.detections.map((x) => (
                    <tr class="clickable" onClick={(e) => e.target.closest('a') || navigate(`/ui/detections/${x.id}`)}>
                      <td>
                        <a href={`/ui/detections/${x.id}`}>{x.id}</a>
                      </td>
                      <td>
                        <Level level={x.level} />
                      </td>
                      <td title={x.rule}>
                        {x.title} {x.ongoing ? <span class="badge state-active">ongoing</span> : null}
                      </td>
                      <td>
                        <Ind value={x.group} />
                      </td>
                      <td>
                        <Ind value={x.target} />
                      </td>
                      <td class="n">{num(x.count)}</td>
                      <td>
                        <Time at={x.first} />
                      </td>
                      <td>
                        <Time at={x.last} />
                      </td>
                      <td class="small mono">{x.input}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <Empty>No detections match{f.since !== 'all' ? ` in the last ${f.since}` : ''}.</Empty>
            )}
            {d.next_before ? (
              <div class="pager">
                <a href={withQuery('/ui/detections', { ...f, before: d.next_before })}>Older →</a>
              </div>
            ) : null}
          </>
        )}
      </Loaded>
    </>
  );
}

// One evidence event: the raw line, and its parsed fields on demand.
function Event({ ev }) {
  const [open, setOpen] = useState(false);
  const fields = Object.entries(ev).filter(([k]) => k !== 'event.original');
  return (
    <li class="event">
      <div class="raw mono">{ev['event.original'] ?? JSON.stringify(ev)}</div>
      <button class="link small" onClick={() => setOpen(!open)}>
        {open ? 'hide fields' : `${fields.length} fields`}
      </button>
      {open ? (
        <table class="t fields">
          <tbody>
            {fields.map(([k, v]) => (
              <tr>
                <th class="mono">{k}</th>
                <td class="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

export function DetectionDetail({ params }) {
  const q = useApi(`/api/v1/detections/${encodeURIComponent(params.id)}`);
  return (
    <Loaded q={q} what={`detection #${params.id}`}>
      {(d) => (
        <DetectionBody d={d} />
      )}
    </Loaded>
  );
}

function DetectionBody({ d }) {
  const actions = useApi(d.group ? withQuery('/api/v1/actions', { target: d.group, limit: 20 }) : null, { optional: true });
  const related = actions.data ? actions.data.actions.filter((a) => a.detection_id === d.id || a.target === d.group) : [];
  return (
    <>
      <PageHead title={`Detection #${d.id}`}>
        <Level level={d.level} />
        {d.ongoing ? <span class="badge state-active">ongoing</span> : <span class="badge">closed</span>}
      </PageHead>
      <Section title={d.title}>
        <KV
          rows={[
            ['rule', <code>{d.rule}</code>],
            ['group', d.group ? <><Ind value={d.group} /> <span class="muted">({d.group_field})</span></> : null],
            ['target', d.target ? <Ind value={d.target} /> : null],
            ['input', <code>{d.input}</code>],
            ['first event', <Time at={d.first} />],
            ['last event', <Time at={d.last} />],
            ['events', num(d.count)],
            d.distinct ? ['distinct', num(d.distinct)] : null,
            ['recorded', <Time at={d.recorded_at} />],
            ['updated', <Time at={d.updated_at} />],
          ]}
        />
        <div class="rec-actions">
          {d.group ? <a href={`/ui/lookup?q=${encodeURIComponent(d.group)}`}>Look up {d.group}</a> : null}
          {d.group ? <a href={`/ui/detections?since=all&group=${encodeURIComponent(d.group)}`}>All detections of this group</a> : null}
        </div>
      </Section>
      {related.length ? (
        <Section title="Response actions">
          <table class="t">
            <tbody>
              {related.map((a) => (
                <tr>
                  <td>
                    <a href={`/ui/actions/${a.id}`}>#{a.id}</a>
                  </td>
                  <td>
                    <State state={a.state} />
                  </td>
                  <td>{a.kind}</td>
                  <td>
                    <Ind value={a.target} />
                  </td>
                  <td>{a.device}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      ) : null}
      <Section title={`Evidence (${(d.evidence || []).length} event${(d.evidence || []).length === 1 ? '' : 's'}${d.evidence_dropped ? `, ${d.evidence_dropped} more not kept` : ''})`}>
        {(d.evidence || []).length ? (
          <ol class="events" data-testid="evidence">
            {d.evidence.map((ev) => (
              <Event ev={ev} />
            ))}
          </ol>
        ) : (
          <Empty>No evidence kept.</Empty>
        )}
      </Section>
    </>
  );
}
