using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "2")]
public sealed class Q2Spec : TaskRequirementsFixture<Q2Tsne>;
