// RFC 6570 URI templates, levels 1-3 and the explode modifier: what resource templates
// (`users://{id}/profile`, `https://api/{city}{?units}`) are filled with.
import { McpConfigError } from '@tframex/mcp-api';

export type TemplateValue = string | number | boolean | undefined | null;
export type TemplateVariables = Record<string, TemplateValue | TemplateValue[]>;

interface Operator {
  first: string;
  separator: string;
  named: boolean;
  ifEmpty: string;
  reserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, ifEmpty: '', reserved: false },
  '+': { first: '', separator: ',', named: false, ifEmpty: '', reserved: true },
  '#': { first: '#', separator: ',', named: false, ifEmpty: '', reserved: true },
  '.': { first: '.', separator: '.', named: false, ifEmpty: '', reserved: false },
  '/': { first: '/', separator: '/', named: false, ifEmpty: '', reserved: false },
  ';': { first: ';', separator: ';', named: true, ifEmpty: '', reserved: false },
  '?': { first: '?', separator: '&', named: true, ifEmpty: '=', reserved: false },
  '&': { first: '&', separator: '&', named: true, ifEmpty: '=', reserved: false },
};

function encode(value: string, reserved: boolean): string {
  if (!reserved)
    return encodeURIComponent(value).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return encodeURI(value).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}

/** The variable names a template uses, in order. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(/\{([^}]*)\}/g)) {
    const body = match[1]!.replace(/^[+#./;?&]/, '');
    for (const spec of body.split(',')) names.push(spec.replace(/(\*|:\d+)$/, ''));
  }
  return names;
}

/** Fills `template` with `variables`; values are percent-encoded as the operator requires. */
export function expandUriTemplate(template: string, variables: TemplateVariables): string {
  return template.replace(/\{([^}]*)\}/g, (_whole, body: string) => {
    const opChar = /^[+#./;?&]/.test(body) ? body[0]! : '';
    const op = OPERATORS[opChar]!;
    const parts: string[] = [];
    for (const rawSpec of body.slice(opChar.length).split(',')) {
      const explode = rawSpec.endsWith('*');
      const prefixMatch = /:(\d+)$/.exec(rawSpec);
      const name = rawSpec.replace(/(\*|:\d+)$/, '');
      if (!/^[A-Za-z0-9_.%]+$/.test(name)) {
        throw new McpConfigError(`URI template ${JSON.stringify(template)} has a bad variable`, {
          field: 'template',
          expected: 'RFC 6570 variable names',
          received: rawSpec,
        });
      }
      const value = variables[name];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        const items = value.filter((item) => item !== undefined && item !== null).map(String);
        if (items.length === 0) continue;
        if (explode) {
          parts.push(
            items
              .map((item) =>
                op.named ? `${name}=${encode(item, op.reserved)}` : encode(item, op.reserved),
              )
              .join(op.separator),
          );
        } else {
          const joined = items.map((item) => encode(item, op.reserved)).join(',');
          parts.push(op.named ? `${name}=${joined}` : joined);
        }
        continue;
      }
      let text = String(value);
      if (prefixMatch) text = text.slice(0, Number(prefixMatch[1]));
      const encoded = encode(text, op.reserved);
      parts.push(
        op.named ? (text === '' ? `${name}${op.ifEmpty}` : `${name}=${encoded}`) : encoded,
      );
    }
    return parts.length === 0 ? '' : op.first + parts.join(op.separator);
  });
}
