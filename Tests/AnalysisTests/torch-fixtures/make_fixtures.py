"""Writes the .pth fixtures of TorchFileTests with PyTorch, and expected.json with their tensors as
PyTorch reads them back. Run from this folder with torch installed (pip install torch==2.13.0+cpu);
the files are committed so that the tests need no PyTorch."""
import json

import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

torch.manual_seed(0)
expected = {}


def save(name, obj):
    torch.save(obj, name)
    loaded = torch.load(name, weights_only=True)
    expected[name] = {k: {"shape": list(v.shape), "values": v.double().flatten().tolist()} for k, v in loaded.items()}


# A Sequential MLP with some weights zeroed (pruned weights as zeros, as the reference stores them).
mlp = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
with torch.no_grad():
    mlp[0].weight[0, 1] = 0
    mlp[0].weight[2, :] = 0
    mlp[2].weight[:, 3] = 0
save("sequential.pth", mlp.state_dict())

# torch.nn.utils.prune leaves weight_orig and weight_mask beside the bias.
class Named(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 3)
        self.fc2 = nn.Linear(3, 2)


named = Named()
prune.l1_unstructured(named.fc1, "weight", amount=0.6)
save("pruned.pth", named.state_dict())

# Other dtypes and a non-contiguous tensor (a transposed view keeps its storage and strides).
w = torch.arange(12, dtype=torch.float64).reshape(3, 4) / 8
save("dtypes.pth", {"0.weight": w.t(), "0.bias": torch.tensor([0.5, -1, 2, 0.25], dtype=torch.float16),
                    "2.weight": torch.tensor([[1, 0, -2, 3]], dtype=torch.bfloat16), "2.bias": torch.tensor([7], dtype=torch.int64)})

with open("expected.json", "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
