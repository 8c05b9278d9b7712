// Picking the driver for a server: the first whose tools the server lists; when none fits, an
// error that names the type, what was looked for and what the server offers.
import { McpConfigError } from '@tframex/mcp-api';
import type { ResourceType } from '../resource-type.js';
import type { DriverServerView, ResourceDriver } from './resource-driver.js';

function describe(driver: ResourceDriver): string {
  return driver.requires.length > 0
    ? `${driver.requires.join(' + ')} (${driver.name})`
    : `${driver.name}'s own test`;
}

export function selectDriver(
  type: ResourceType,
  candidates: readonly ResourceDriver[],
  server: DriverServerView,
  serverName: string,
): ResourceDriver {
  const driver = candidates.find(
    (candidate) => candidate.type === type && candidate.matches(server),
  );
  if (driver) return driver;
  const offered = [...server.tools.keys()];
  const wanted = candidates.filter((candidate) => candidate.type === type);
  throw new McpConfigError(
    `No ${type} driver fits server "${serverName}": looked for ${wanted.map(describe).join('; ') || 'nothing (no driver knows this type)'}; the server offers ${offered.length > 0 ? `tools ${offered.join(', ')}` : 'no tools'}${server.capabilities?.resources ? ' and resources' : ''}. Describe it with defineResourceDriver and pass it in drivers.`,
    {
      field: 'type',
      expected: `a server offering ${wanted.map(describe).join(' or ') || `a ${type} driver`}`,
      received: offered,
    },
  );
}
