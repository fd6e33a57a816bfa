import type { RestApi } from '../deployment.js';
import { fieldSchema, type FieldDefinition } from '../fields.js';

/** FieldMetadata as editmeta and `expand=transitions.fields` describe a field. */
export function fieldMetadata(field: FieldDefinition, api: RestApi): Record<string, unknown> {
  if (field.kind === 'comment') {
    return { required: false, schema: { type: 'comments-page', system: 'comment' }, name: 'Comment', key: 'comment', operations: ['add', 'edit', 'remove'] };
  }
  const metadata: Record<string, unknown> = { required: false, schema: fieldSchema(field), name: field.name, key: field.id, operations: ['set'], hasDefaultValue: false };
  if (field.options) {
    metadata.allowedValues = field.options.map((option) => ({ self: `${api.url}/customFieldOption/${option.id}`, value: option.value, id: option.id }));
  }
  return metadata;
}
