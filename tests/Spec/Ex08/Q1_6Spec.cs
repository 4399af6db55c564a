using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.6")]
public sealed class Q1_6Spec : TaskRequirementsFixture<Q1_6LearningCurves>;
