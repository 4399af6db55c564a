using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Regression.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.1")]
public sealed class Q1_1Regression : TaskRequirementsFixture<Q1_1LoadData>;

[Property("Assignment", "ex08"), Property("Task", "1.2")]
public sealed class Q1_2Regression : TaskRequirementsFixture<Q1_2Baseline>;

[Property("Assignment", "ex08"), Property("Task", "1.3")]
public sealed class Q1_3Regression : TaskRequirementsFixture<Q1_3Augmentation>;

[Property("Assignment", "ex08"), Property("Task", "1.4")]
public sealed class Q1_4Regression : TaskRequirementsFixture<Q1_4BatchNorm>;

[Property("Assignment", "ex08"), Property("Task", "1.5")]
public sealed class Q1_5Regression : TaskRequirementsFixture<Q1_5FineTuning>;

[Property("Assignment", "ex08"), Property("Task", "1.6")]
public sealed class Q1_6Regression : TaskRequirementsFixture<Q1_6LearningCurves>;

[Property("Assignment", "ex08"), Property("Task", "2")]
public sealed class Q2Regression : TaskRequirementsFixture<Q2Tsne>;

[Property("Assignment", "ex08"), Property("Task", "3")]
public sealed class Q3Regression : TaskRequirementsFixture<Q3ActivationMaximisation>;
