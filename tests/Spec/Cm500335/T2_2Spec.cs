using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "2.2")]
public sealed class T2_2Spec : TaskRequirementsFixture<T2_2PerceptronPairs>;
