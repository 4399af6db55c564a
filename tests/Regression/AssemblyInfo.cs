using NUnit.Framework;

// Tests share libtorch's native state (seeds, thread pools): run them one after another.
[assembly: NonParallelizable]
[assembly: LevelOfParallelism(1)]
