/** Types of chromium.mjs (plain JavaScript, so that test/vscode/*.mjs can import it too). */
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: string[];
