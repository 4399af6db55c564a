using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Regression.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.1")]
public sealed class Q1_1Regression : TaskRequirementsFixture<Q1_1LoadData>;

[Property("Assignment", "ex08"), Property("Task", "1.2")]
public sealed class Q1_2Regression : TaskRequirementsFixture<Q1_2Baseline>;
