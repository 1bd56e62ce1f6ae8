// Sign-in page: username and password against auth/login (the session cookie is set by the API).
import { API, post } from '../api.js';
import { field, form, render } from '../dom.js';

export function signinView({ onSignedIn }) {
  const signin = form(
    [field('username', 'Username', { required: true, attrs: { autocomplete: 'username', autocapitalize: 'off', spellcheck: 'false' } }), field('password', 'Password', { kind: 'password', required: true, attrs: { autocomplete: 'current-password' } })],
    'Sign in',
    async (values) => {
      const answer = await post(`${API}/auth/login`, { username: values.username, password: values.password });
      await onSignedIn(answer.body);
    },
    { label: 'Sign in', className: 'stack-form signin' },
  );
  signin.id = 'signin-form';
  render('Sign in', signin);
}
