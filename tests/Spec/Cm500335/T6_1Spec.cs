using Harness.Tasks.Cm500335;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Cm500335;

[Property("Assignment", "cm500335"), Property("Task", "6.1")]
public sealed class T6_1Spec : TaskRequirementsFixture<T6_1SingleTask>;
