// The baseline: read a file as a stream, decode UTF-8 and split it into lines, nothing else.
import {createReadStream} from 'node:fs';

let lines = 0;
let rest = '';
const decoder = new TextDecoder();
for await (const chunk of createReadStream(process.argv[2])) {
	const parts = (rest + decoder.decode(chunk, {stream: true})).split('\n');
	rest = parts.pop();
	lines += parts.length;
}

process.stdout.write(`${lines + (rest === '' ? 0 : 1)}\n`);
