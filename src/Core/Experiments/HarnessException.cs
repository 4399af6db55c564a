namespace Harness.Core.Experiments;

/// <summary>An error a user can act on; the CLI prints its message as one line and exits non-zero.</summary>
public class HarnessException(string message, Exception? inner = null) : Exception(message, inner);
