// mamori operator console: session handling, layout and page routing.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { match, navigate, useRoute } from './router.js';
import { Login } from './pages/login.jsx';
import { Dashboard } from './pages/dashboard.jsx';
import { Queue, Actions, ActionDetail } from './pages/actions.jsx';
import { Detections, DetectionDetail } from './pages/detections.jsx';
import { Lookup } from './pages/lookup.jsx';
import { Blocklists } from './pages/blocklists.jsx';
import { Feeds } from './pages/feeds.jsx';
import { Samples, SampleDetail } from './pages/samples.jsx';
import { Playbooks } from './pages/playbooks.jsx';
import { Audit } from './pages/audit.jsx';
import './style.css';

// The drawing of favicon.svg, inline: an <img> of it was one more request on every page load.
function Logo() {
  return (
    <svg class="logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" aria-hidden="true">
      <path d="M16 2 4 7v8c0 7.5 5.1 13.3 12 15 6.9-1.7 12-7.5 12-15V7z" fill="#1f4e79" />
      <path d="m11 16 4 4 7-8" stroke="#fff" stroke-width="3" fill="none" />
    </svg>
  );
}

const NAV = [
  ['/ui', 'Dashboard'],
  ['/ui/queue', 'Recommendations'],
  ['/ui/actions', 'Actions'],
  ['/ui/detections', 'Detections'],
  ['/ui/lookup', 'Lookup'],
  ['/ui/blocklists', 'Blocklists'],
  ['/ui/feeds', 'Feeds'],
  ['/ui/samples', 'Samples'],
  ['/ui/playbooks', 'Playbooks'],
  ['/ui/audit', 'Audit log'],
];

const ROUTES = [
  ['/ui', Dashboard],
  ['/', Dashboard],
  ['/ui/queue', Queue],
  ['/ui/actions', Actions],
  ['/ui/actions/:id', ActionDetail],
  ['/ui/detections', Detections],
  ['/ui/detections/:id', DetectionDetail],
  ['/ui/lookup', Lookup],
  ['/ui/blocklists', Blocklists],
  ['/ui/feeds', Feeds],
  ['/ui/samples', Samples],
  ['/ui/samples/:id', SampleDetail],
  ['/ui/playbooks', Playbooks],
  ['/ui/audit', Audit],
];

function App() {
  // undefined: checking; null: logged out; object: the session. While it is being checked the
  // page is already rendered and loads its data, in parallel: waiting for the session first put
  // one more round trip before every page's data. A page that answers 401 (logged out) shows
  // the login page through the unauthorized handler, as the session check does.
  const [session, setSession] = useState(undefined);
  const route = useRoute();

  const accept = (s) => {
    setCsrfToken(s && s.csrf_token);
    setSession(s);
  };

  useEffect(() => {
    setUnauthorizedHandler(() => accept(null));
    api('/api/v1/session').then(accept, (e) => {
      // 404: this server has no login (built without auth); the server decides what is allowed.
      if (e.status === 404) accept({ user: '', role: 'admin', no_auth: true });
      else accept(null);
    });
  }, []);

  if (session === null) return <Login onLogin={accept} />;

  const logout = async () => {
    try {
      await api('/api/v1/session', { method: 'DELETE' });
    } catch {
      /* the session is gone either way */
    }
    accept(null);
    navigate('/ui');
  };

  let page = null;
  for (const [pattern, Page] of ROUTES) {
    const params = match(pattern, route.path.replace(/\/+$/, '') || '/');
    if (params) {
      // Until the session is known, the page renders as for a viewer (no decision buttons).
      page = <Page params={params} query={route.query} session={session || null} />;
      break;
    }
  }
  const active = (href) =>
    href === '/ui' ? route.path === '/ui' || route.path === '/ui/' || route.path === '/' : route.path.startsWith(href);

  return (
    <div class="shell">
      <nav class="side">
        <a class="brand" href="/ui">
          <Logo /> mamori
        </a>
        {NAV.map(([href, label]) => (
          <a href={href} class={active(href) ? 'nav active' : 'nav'}>
            {label}
          </a>
        ))}
        <div class="who">
          {session === undefined ? null : session.no_auth ? (
            <span class="muted">no login on this server</span>
          ) : (
            <>
              <span class="user" data-testid="user">{session.user}</span> <span class="badge role">{session.role}</span>
              <button class="link" onClick={logout}>
                Log out
              </button>
            </>
          )}
        </div>
      </nav>
      <main class="content">{page || <div class="state empty">No such page: {route.path}</div>}</main>
    </div>
  );
}

render(<App />, document.getElementById('app'));
