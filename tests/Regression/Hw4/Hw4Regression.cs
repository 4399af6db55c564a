using Harness.Tasks.Hw4;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Regression.Hw4;

// The nightly suite: every task at the full profile (the seed's settings and thresholds).

[Property("Assignment", "hw4"), Property("Task", "1a")]
public sealed class Q1aRegression : TaskRequirementsFixture<Q1aThresholdMlp>;

[Property("Assignment", "hw4"), Property("Task", "1b")]
public sealed class Q1bRegression : TaskRequirementsFixture<Q1bSigmoidMlp>;

[Property("Assignment", "hw4"), Property("Task", "1c")]
public sealed class Q1cRegression : TaskRequirementsFixture<Q1cCapacity>;

[Property("Assignment", "hw4"), Property("Task", "2a")]
public sealed class Q2aRegression : TaskRequirementsFixture<Q2aCnnDesign>;

[Property("Assignment", "hw4"), Property("Task", "2b")]
public sealed class Q2bRegression : TaskRequirementsFixture<Q2bCnnTraining>;

[Property("Assignment", "hw4"), Property("Task", "2c")]
public sealed class Q2cRegression : TaskRequirementsFixture<Q2cComparison>;

[Property("Assignment", "hw4"), Property("Task", "2d")]
public sealed class Q2dRegression : TaskRequirementsFixture<Q2dImprovements>;

[Property("Assignment", "hw4"), Property("Task", "3a")]
public sealed class Q3aRegression : TaskRequirementsFixture<Q3aAutoencoder>;

[Property("Assignment", "hw4"), Property("Task", "3b")]
public sealed class Q3bRegression : TaskRequirementsFixture<Q3bDenoising>;

[Property("Assignment", "hw4"), Property("Task", "3c")]
public sealed class Q3cRegression : TaskRequirementsFixture<Q3cFrozenEncoder>;

[Property("Assignment", "hw4"), Property("Task", "3d")]
public sealed class Q3dRegression : TaskRequirementsFixture<Q3dImprovedEncoder>;
