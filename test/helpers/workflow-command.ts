import assert from 'node:assert/strict';

// GitHub's documented workflow-command format: `::error file={name},line={line},endLine={endLine},title={title}::{message}`
// (docs.github.com, "Workflow commands for GitHub Actions"). The runner splits the command at the
// first space and at `::`, the properties at `,` and each at its first `=`, then unescapes
// %25 %0D %0A (and %3A %2C in properties). This parser does the same, so an annotation that
// round-trips through it is one the runner reads as written.
export function parseWorkflowCommand(line: string): {command: string; properties: Record<string, string>; message: string} {
	assert.ok(!/[\r\n]/.test(line), 'a workflow command is one line');
	const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
	assert.ok(match, `not a workflow command: ${line}`);
	const properties: Record<string, string> = {};
	for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
		const equals = pair.indexOf('=');
		assert.ok(equals > 0, `property without a value: ${pair}`);
		properties[pair.slice(0, equals)] = pair
			.slice(equals + 1)
			.replaceAll('%0D', '\r')
			.replaceAll('%0A', '\n')
			.replaceAll('%3A', ':')
			.replaceAll('%2C', ',')
			.replaceAll('%25', '%');
	}

	const message = match[3]!.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
	return {command: match[1]!, properties, message};
}

