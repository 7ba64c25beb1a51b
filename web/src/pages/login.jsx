import { useState } from 'preact/hooks';
import { api } from '../api.js';
import logo from '../favicon.svg';

export function Login({ onLogin }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await api('/api/v1/session', { method: 'POST', body: { username, password } }));
    } catch (err) {
      setError(
        err.status === 401 || err.status === 403
          ? 'Wrong user name or password.'
          : err.status === 429
            ? 'Too many attempts; wait a minute and try again.'
            : `Could not log in: ${err.message}`,
      );
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login">
      <form onSubmit={submit} class="card">
        <h1>
          <img class="logo" src={logo} alt="" /> mamori
        </h1>
        <label>
          User
          <input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.target.value)} required autofocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.target.value)} required />
        </label>
        {error ? (
          <div class="state error" role="alert">
            {error}
          </div>
        ) : null}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
