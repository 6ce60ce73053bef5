import type { Io } from "../io.js";
export async function run(_a: readonly string[], io: Io): Promise<number> { io.err("netns: not yet"); return 1; }
