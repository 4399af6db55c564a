using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.4")]
public sealed class Q1_4Spec : TaskRequirementsFixture<Q1_4BatchNorm>;
