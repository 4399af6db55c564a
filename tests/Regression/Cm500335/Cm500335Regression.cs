using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Regression.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "1")]
public sealed class T1Regression : TaskRequirementsFixture<T1Pca>;

[Property("Assignment", "cm500335"), Property("Task", "2.1")]
public sealed class T2_1Regression : TaskRequirementsFixture<T2_1Perceptron>;

[Property("Assignment", "cm500335"), Property("Task", "2.2")]
public sealed class T2_2Regression : TaskRequirementsFixture<T2_2PerceptronPairs>;

[Property("Assignment", "cm500335"), Property("Task", "3.1")]
public sealed class T3_1Regression : TaskRequirementsFixture<T3_1Mlp>;

[Property("Assignment", "cm500335"), Property("Task", "3.2")]
public sealed class T3_2Regression : TaskRequirementsFixture<T3_2MlpDepth>;

[Property("Assignment", "cm500335"), Property("Task", "4.1")]
public sealed class T4_1Regression : TaskRequirementsFixture<T4_1Cnn>;

[Property("Assignment", "cm500335"), Property("Task", "4.2")]
public sealed class T4_2Regression : TaskRequirementsFixture<T4_2CnnVariants>;

[Property("Assignment", "cm500335"), Property("Task", "5")]
public sealed class T5Regression : TaskRequirementsFixture<T5Visualising>;

[Property("Assignment", "cm500335"), Property("Task", "6.1")]
public sealed class T6_1Regression : TaskRequirementsFixture<T6_1SingleTask>;

[Property("Assignment", "cm500335"), Property("Task", "6.2")]
public sealed class T6_2Regression : TaskRequirementsFixture<T6_2MultiTask>;
