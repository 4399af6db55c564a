using Harness.Tasks.Hw4;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Hw4;

// Problem 1 runs at its full settings in both profiles; Problems 2 and 3 at the smoke profile's subsets.

[Property("Assignment", "hw4"), Property("Task", "1a")]
public sealed class Q1aSpec : TaskRequirementsFixture<Q1aThresholdMlp>;

[Property("Assignment", "hw4"), Property("Task", "1b")]
public sealed class Q1bSpec : TaskRequirementsFixture<Q1bSigmoidMlp>;

[Property("Assignment", "hw4"), Property("Task", "1c")]
public sealed class Q1cSpec : TaskRequirementsFixture<Q1cCapacity>;

[Property("Assignment", "hw4"), Property("Task", "2a")]
public sealed class Q2aSpec : TaskRequirementsFixture<Q2aCnnDesign>;

[Property("Assignment", "hw4"), Property("Task", "2b")]
public sealed class Q2bSpec : TaskRequirementsFixture<Q2bCnnTraining>;

[Property("Assignment", "hw4"), Property("Task", "2c")]
public sealed class Q2cSpec : TaskRequirementsFixture<Q2cComparison>;

[Property("Assignment", "hw4"), Property("Task", "2d")]
public sealed class Q2dSpec : TaskRequirementsFixture<Q2dImprovements>;

[Property("Assignment", "hw4"), Property("Task", "3a")]
public sealed class Q3aSpec : TaskRequirementsFixture<Q3aAutoencoder>;

[Property("Assignment", "hw4"), Property("Task", "3b")]
public sealed class Q3bSpec : TaskRequirementsFixture<Q3bDenoising>;

[Property("Assignment", "hw4"), Property("Task", "3c")]
public sealed class Q3cSpec : TaskRequirementsFixture<Q3cFrozenEncoder>;

[Property("Assignment", "hw4"), Property("Task", "3d")]
public sealed class Q3dSpec : TaskRequirementsFixture<Q3dImprovedEncoder>;
