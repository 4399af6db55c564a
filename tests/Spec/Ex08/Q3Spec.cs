using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "3")]
public sealed class Q3Spec : TaskRequirementsFixture<Q3ActivationMaximisation>;
