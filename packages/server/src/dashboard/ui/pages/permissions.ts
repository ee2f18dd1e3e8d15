import { html } from '../preact.js';
import type { VNode } from 'preact';
import { listAll } from '../api.js';
import { ErrorNote, Loading } from '../components.js';
import { useLoad } from '../hooks.js';
import type { Session } from '../session.js';
import type { Permission, Role } from '../types.js';

/** The workspace's permissions and roles (permissions.listPermissions, permissions.listRoles). */
export function PermissionsPage({ session }: { session: Session }): VNode {
  const permissions = useLoad(() => listAll<Permission>(session.call, 'permissions.listPermissions', {}), []);
  const roles = useLoad(() => listAll<Role>(session.call, 'permissions.listRoles', {}), []);
  return html`<section>
    <h1>Permissions and roles</h1>
    <h2>Permissions</h2>
    <${Loading} when=${permissions.loading && !permissions.data} />
    <${ErrorNote} error=${permissions.error} />
    ${
      permissions.data &&
      (permissions.data.length === 0
        ? html`<p class="muted">none</p>`
        : html`<table>
            <caption class="visually-hidden">
              Permissions
            </caption>
            <thead>
              <tr>
                <th scope="col">Slug</th>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              ${permissions.data.map(
                (permission) =>
                  html`<tr>
                    <td><code>${permission.slug}</code></td>
                    <td>${permission.name}</td>
                    <td>${permission.description ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
    <h2>Roles</h2>
    <${Loading} when=${roles.loading && !roles.data} />
    <${ErrorNote} error=${roles.error} />
    ${
      roles.data &&
      (roles.data.length === 0
        ? html`<p class="muted">none</p>`
        : html`<table>
            <caption class="visually-hidden">
              Roles
            </caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Permissions</th>
              </tr>
            </thead>
            <tbody>
              ${roles.data.map(
                (role) =>
                  html`<tr>
                    <td>${role.name}</td>
                    <td>
                      ${role.permissions?.map((permission) => html`<code class="tag">${permission.slug}</code> `) ?? '—'}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
  </section>`;
}
