import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/check/parsed-manifests';
import { renderedObject } from '../../src/synth/output';
import { synthesize } from '../../src/synth/synthesize';
import { repoModel } from '../helpers';

const files = synthesize(repoModel());
const known = (file: string, content: string) =>
  files.get(file) === content ? renderedObject(files, file) : undefined;

describe('parseManifests', () => {
  it('reads a freshly synthesized file as exactly what parsing its YAML gives', () => {
    const parsed = parseManifests(files);
    const fromObjects = parseManifests(files, known);
    expect(fromObjects.length).toBe(parsed.length);
    expect(parsed.length).toBeGreaterThan(500);
    expect(fromObjects).toEqual(parsed);
  });

  it('knows the rendered object of every manifest file of every environment', () => {
    const yaml = [...files.keys()].filter((f) => f.endsWith('.yaml'));
    expect(yaml.filter((f) => !renderedObject(files, f))).toEqual([]);
  });

  it('parses a file whose bytes differ from the fresh synth, so a hand edit is what is checked', () => {
    const [file, content] = [...files].find(([f]) => f.endsWith('.yaml'))!;
    const edited = new Map([[file, content.replace(/^kind: .*$/m, 'kind: EditedByHand')]]);
    const [doc] = parseManifests(edited, known);
    expect(doc!.object!.kind).toBe('EditedByHand');
  });

  it('gives a copy, so a check that changes a document cannot change the synth output', () => {
    const [doc] = parseManifests(files, known);
    expect(doc!.object).not.toBe(renderedObject(files, doc!.file));
  });
});
