using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.5")]
public sealed class Q1_5Spec : TaskRequirementsFixture<Q1_5FineTuning>;
