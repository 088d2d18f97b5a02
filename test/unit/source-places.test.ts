import * as assert from 'node:assert/strict';
import { SourcePlaces } from '../../src/host/sourcePlaces';

const spans = [{ start: 0, end: 2 }];

function book(): SourcePlaces {
  const places = new SourcePlaces();
  places.set(1, { uri: 'untitled:a', line: 0, spans });
  places.set(2, { uri: 'untitled:a', line: 1, spans });
  places.set(3, { uri: 'file:///b.txt', line: 0, spans });
  return places;
}

describe('SourcePlaces (where translated sentences sit, for the editor highlight)', () => {
  it('finds the places on a line of a document', () => {
    const places = book();
    assert.deepEqual(
      places.onLine('untitled:a', 1).map(([id]) => id),
      [2],
    );
    assert.deepEqual(places.onLine('file:///b.txt', 1), []);
  });

  it('drops a document’s places when it closes or changes, and only its', () => {
    const places = book();
    places.forgetDocument('untitled:a');
    assert.deepEqual(places.list(), [{ id: 3, uri: 'file:///b.txt', line: 0 }]);
    assert.equal(places.get(1), undefined);
  });

  it('keeps only the translations still listed', () => {
    const places = book();
    places.keepOnly([3, 2, 99]);
    assert.deepEqual(
      places.list().map((p) => p.id),
      [2, 3],
    );
  });

  it('forgets everything (the Translations panel closed)', () => {
    const places = book();
    places.clear();
    assert.deepEqual(places.list(), []);
  });
});
