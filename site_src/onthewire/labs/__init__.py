"""Labs: the learner's workspace, progress, and the pytest harness the checks run under."""
