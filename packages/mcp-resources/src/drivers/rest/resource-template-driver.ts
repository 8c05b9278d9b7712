// type 'rest' over resource templates (RFC 6570): `GET /current?city=London` reads the
// resource of the template whose path part matches (`weather://api/current{?city}`), filled with
// the path variables and the query parameters. Read-only: GET is the only method.
import { McpConfigError, paginate, type ResourceTemplate } from '@tframex/mcp-api';
import { decodeContent } from '../../content/resource-content.js';
import { expandUriTemplate } from '../../uri-template.js';
import type { RestRequest } from '../operation-options.js';
import { defineResourceDriver, type DriverContext } from '../resource-driver.js';
import { requestPath } from './rest-path.js';

/** The path part of a template as a regex, with the names of its path variables. */
function pathPattern(uriTemplate: string): { regex: RegExp; names: string[] } | undefined {
  const afterAuthority = /^[a-z][a-z0-9+.-]*:\/\/[^/{]*(.*)$/i.exec(uriTemplate);
  const path = afterAuthority ? afterAuthority[1]! : uriTemplate;
  const names: string[] = [];
  let source = '';
  for (const part of path.split(/(\{[^}]*\})/)) {
    const expression = /^\{([+#./;?&]?)([^}]*)\}$/.exec(part);
    if (!expression) {
      source += part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      continue;
    }
    const [, operator, variables] = expression;
    if (operator === '?' || operator === '&' || operator === '#') continue;
    const name = variables!.split(',')[0]!.replace(/(\*|:\d+)$/, '');
    names.push(name);
    source += operator === '/' ? '/([^/?]+)' : operator === '+' ? '(.+)' : '([^/?]+)';
  }
  if (!source.startsWith('/')) source = `/${source}`;
  return { regex: new RegExp(`^${source}/?$`), names };
}

async function templates(context: DriverContext): Promise<ResourceTemplate[]> {
  return context.memo('rest:templates', async () => {
    const all: ResourceTemplate[] = [];
    for await (const template of paginate(context.session, 'resourceTemplates')) all.push(template);
    return all;
  });
}

async function request(context: DriverContext, req: RestRequest): Promise<unknown> {
  if (req.method !== 'GET') {
    throw new McpConfigError(`Resource templates are read-only: ${req.method} is not possible`, {
      field: 'method',
      expected: 'GET',
      received: req.method,
    });
  }
  const full = requestPath(context, req.path);
  const [pathname = '', query] = full.split('?', 2);
  const list = await templates(context);
  for (const template of list) {
    const pattern = pathPattern(template.uriTemplate);
    const match = pattern?.regex.exec(pathname);
    if (!pattern || !match) continue;
    const variables: Record<string, string | number | boolean> = Object.fromEntries(
      new URLSearchParams(query ?? ''),
    );
    pattern.names.forEach((name, index) => {
      variables[name] = decodeURIComponent(match[index + 1]!);
    });
    Object.assign(variables, req.params ?? {});
    const uri = expandUriTemplate(template.uriTemplate, variables);
    return decodeContent(await context.readResource(uri, req));
  }
  throw new McpConfigError(
    `No resource template of "${context.session.name}" serves GET ${pathname}`,
    {
      field: 'path',
      expected: `a path of: ${list.map((template) => template.uriTemplate).join(', ') || 'no templates'}`,
      received: pathname,
    },
  );
}

export const resourceTemplateDriver = defineResourceDriver({
  name: 'resource-templates',
  type: 'rest',
  matches: (server) => server.capabilities?.resources !== undefined,
  request,
});
