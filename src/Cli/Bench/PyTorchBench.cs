namespace Harness.Cli;

/// <summary>
/// The bench workloads written for PyTorch (the same networks, sizes, optimisers and loop as <see cref="Bench.BareLoop"/>),
/// run by <c>harness bench --pytorch</c> through Debian's python3-torch.
/// </summary>
public static class PyTorchBench
{
    /// <summary>The BLAS library Debian's alternatives give libblas.so.3 (OpenBLAS, or the slow reference BLAS).</summary>
    public static string Blas()
    {
        foreach (var link in new[] { "/etc/alternatives/libblas.so.3-x86_64-linux-gnu", "/etc/alternatives/libblas.so.3-aarch64-linux-gnu" })
            if (File.Exists(link))
            {
                var target = new FileInfo(link).LinkTarget ?? link;
                return target + (target.Contains("openblas", StringComparison.OrdinalIgnoreCase) ? " (OpenBLAS)"
                    : " (the reference BLAS: PyTorch's Linear layers run several times slower than with OpenBLAS; apt-get install libopenblas0-pthread)");
            }
        return "unknown (no libblas.so.3 alternative found)";
    }

    public const string Script = """
        import gzip, sys, time
        import numpy as np
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        name, folder = sys.argv[1], sys.argv[2]
        n_train, n_val, n_test, epochs, batch = (int(a) for a in sys.argv[3:8])
        optimizer_name, lr, gamma, threads = sys.argv[8], float(sys.argv[9]), float(sys.argv[10]), int(sys.argv[11])
        torch.set_num_threads(threads)
        torch.manual_seed(42)

        def idx(path):
            raw = gzip.open(path).read()
            dims = raw[3]
            shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], 'big') for i in range(dims)]
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

        train_x = torch.tensor(idx(f'{folder}/train-images-idx3-ubyte.gz')[:n_train + n_val], dtype=torch.float32).unsqueeze(1) / 255
        train_y = torch.tensor(idx(f'{folder}/train-labels-idx1-ubyte.gz')[:n_train + n_val], dtype=torch.int64)
        test_x = torch.tensor(idx(f'{folder}/t10k-images-idx3-ubyte.gz')[:n_test], dtype=torch.float32).unsqueeze(1) / 255
        test_y = torch.tensor(idx(f'{folder}/t10k-labels-idx1-ubyte.gz')[:n_test], dtype=torch.int64)
        mean, std = train_x[:n_train].mean(), train_x[:n_train].std()
        train_x, test_x = (train_x - mean) / std, (test_x - mean) / std
        val_x, val_y, train_x, train_y = train_x[n_train:], train_y[n_train:], train_x[:n_train], train_y[:n_train]

        class MnistExample(nn.Module):   # ex08-1.2: the PyTorch MNIST example's network
            def __init__(self):
                super().__init__()
                self.conv1, self.conv2 = nn.Conv2d(1, 32, 3), nn.Conv2d(32, 64, 3)
                self.dropout1, self.dropout2 = nn.Dropout(0.25), nn.Dropout(0.5)
                self.fc1, self.fc2 = nn.Linear(9216, 128), nn.Linear(128, 10)
            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
                x = torch.flatten(self.dropout1(x), 1)
                return self.fc2(self.dropout2(F.relu(self.fc1(x))))

        class SmallCnn(nn.Module):       # hw4-2b
            def __init__(self):
                super().__init__()
                self.conv1, self.conv2 = nn.Conv2d(1, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
                self.fc1, self.fc2 = nn.Linear(64 * 7 * 7, 128), nn.Linear(128, 10)
            def forward(self, x):
                x = F.max_pool2d(F.relu(self.conv1(x)), 2)
                x = F.max_pool2d(F.relu(self.conv2(x)), 2)
                return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))

        class StridedCnn(nn.Module):     # cm500335-4.1
            def __init__(self):
                super().__init__()
                self.conv1, self.conv2, self.conv3 = nn.Conv2d(1, 32, 4), nn.Conv2d(32, 64, 4, stride=2), nn.Conv2d(64, 128, 4, stride=2)
                self.fc = nn.Linear(128 * 4 * 4, 10)
            def forward(self, x):
                x = F.relu(self.conv3(F.relu(self.conv2(F.relu(self.conv1(x))))))
                return self.fc(torch.flatten(x, 1))

        model = {'ex08-1.2': MnistExample, 'hw4-2b': SmallCnn, 'cm500335-4.1': StridedCnn}[name]()
        opt = torch.optim.Adam(model.parameters(), lr) if optimizer_name.lower() == 'adam' else torch.optim.Adadelta(model.parameters(), lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma)

        def evaluate(x, y):
            model.eval()
            correct = torch.zeros(1, dtype=torch.int64)
            with torch.no_grad():
                for s in range(0, len(x), 1000):
                    correct += (model(x[s:s + 1000]).argmax(1) == y[s:s + 1000]).sum()
            return correct.item()

        start, steps, evals = time.perf_counter(), 0.0, 0.0
        gen = torch.Generator().manual_seed(42)
        for epoch in range(epochs):
            t = time.perf_counter()
            model.train()
            order = torch.randperm(n_train, generator=gen)
            loss_sum = torch.zeros(1, dtype=torch.float64)
            for s in range(0, n_train, batch):
                i = order[s:s + batch]
                opt.zero_grad()
                loss = F.cross_entropy(model(train_x[i]), train_y[i])
                loss.backward()
                opt.step()
                loss_sum += loss.detach().double() * len(i)
            loss_sum.item()
            steps += time.perf_counter() - t
            t = time.perf_counter()
            if n_val: evaluate(val_x, val_y)
            evaluate(test_x, test_y)
            evals += time.perf_counter() - t
            sched.step()
        total = time.perf_counter() - start
        print(f'pytorch {torch.__version__}, {torch.get_num_threads()} threads, {name}: loop {total:.3f} s (steps {steps:.3f} s, '
              f'{n_train * epochs / steps:.0f} training images/s; evaluation {evals:.3f} s)')
        """;
}
