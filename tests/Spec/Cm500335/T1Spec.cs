using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "1")]
public sealed class T1Spec : TaskRequirementsFixture<T1Pca>;
