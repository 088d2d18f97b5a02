/**
 * Run in a child process by the zip-bomb tests: reads the corpus file argv[2] with
 * `readCorpusFile` (text limit argv[3] bytes, default when absent) and prints one JSON line with
 * the error message and how far the process's peak resident memory rose while reading. A fresh
 * process, because the peak of the test runner itself may already be above what a bomb costs.
 */
import { readCorpusFile } from '../../src/data/corpus';

const [file, limit] = process.argv.slice(2);
const before = process.resourceUsage().maxRSS;
let message = '';
try {
  readCorpusFile(file, limit ? { maxTextBytes: Number(limit) } : {});
} catch (err) {
  message = (err as Error).message;
}
const peakRiseBytes = (process.resourceUsage().maxRSS - before) * 1024;
process.stdout.write(JSON.stringify({ message, peakRiseBytes }) + '\n');
