namespace Harness.Core.Configuration;

/// <summary>A bad setting: the message names the key, the value and what is allowed.</summary>
public sealed class HarnessConfigurationException(string message) : Exception(message);
