// Resolve hook for the SDK's dist code: its ES modules import siblings without the
// ".js" extension (a bundler convention Node's resolver does not follow).
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const retry = error?.code === "ERR_MODULE_NOT_FOUND" || error?.code === "ERR_UNSUPPORTED_DIR_IMPORT";
    if (!retry || !(specifier.startsWith(".") || specifier.startsWith("/"))) throw error;
    for (const suffix of [".js", "/index.js"]) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next spelling
      }
    }
    throw error;
  }
}
