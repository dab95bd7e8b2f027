"""Adversarial training in the style of virtual adversarial training on MNIST-like data: for
each mini-batch the user draws random unit vectors, scales them into perturbations `R`, builds
`dataNoised = xBatchTrain + R`, and wants the gradient of each sample's loss with respect to its
own perturbation `r` (to move the data where the network is most sensitive). The addition that
connects `R` to the model input runs before the GradientTape opens, so `imTape.watch(R)`
comes too late: nothing recorded depends on `R`. On top of that, iterating `zip(C, R)` hands
`imTape.gradient` fresh row slices of `R` that the tape never saw. Every print is None. The
answer: move `dataNoised = xBatchTrain + R` inside the tape, and take the gradient with respect
to the whole watched `R` (one call), then index the rows.
---
source: https://shijianchuo.net/question/65636637.html
framework: both
outcome: gradient_none
cause: outside_tape
also: [unwatched_tensor]
line: [41, 49]
variables: [r]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, losses

np.random.seed(0)
tf.random.set_seed(0)

xTrain = np.random.rand(8, 64).astype("float32")
yTrain = np.random.randint(0, 10, size=(8,))
trainDataset = tf.data.Dataset.from_tensor_slices((xTrain, yTrain)).batch(4)

dumbModel = tf.keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(10, activation="softmax")])
loss = losses.SparseCategoricalCrossentropy()

for epoch in range(1):
    print(f"Start of epoch {epoch}")
    for step, (xBatchTrain, yBatchTrain) in enumerate(trainDataset):
        randomVectors = np.random.random(xBatchTrain.shape)
        U = randomVectors / np.linalg.norm(randomVectors, axis=1)[:, None]
        Xi = 2
        R = tf.convert_to_tensor(U * Xi, dtype='float32')
        dataNoised = xBatchTrain + R

        with tf.GradientTape(persistent=True) as imTape:
            imTape.watch(R)
            # Geting the losses
            C = [loss(label, pred) for label, pred in zip(yBatchTrain, dumbModel(dataNoised, training=False))]

        # Getting the gradient wrt r for each images
        for l, r in zip(C, R):
            print(imTape.gradient(l, r))
