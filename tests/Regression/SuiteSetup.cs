using Harness.Core.Configuration;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Regression;

/// <summary>The nightly suite: the seeds' own settings and thresholds (profile "full"), best on a GPU.</summary>
[SetUpFixture]
public sealed class SuiteSetup
{
    [OneTimeSetUp]
    public void ForceFullProfile() => HarnessTestRun.ProfileOverride = Profile.Full;
}
