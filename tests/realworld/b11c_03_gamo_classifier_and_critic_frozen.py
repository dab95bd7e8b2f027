"""GAMO (generative adversarial minority oversampling): a three-player setup
with a classifier `mlp`, a conditional discriminator `dis` and a generator
`gen` whose output goes through per-class `gen_processed` models. The script
compiles `mlp` and `dis`, then sets `mlp.trainable=False` and
`dis.trainable=False` so the combined generator models (`genP_mlp`,
`genP_dis`) only update the generator, and keeps calling
`mlp.train_on_batch` / `dis.train_on_batch` in the loop. The issue asks: "The
MLP and the Discriminator is set to trainable=False. But then the training is
done on the same. The weight won't be updated, is this correct?" Under tf-keras
the compile-time snapshot keeps them training; under Keras 3, trainability is
read when the train function is built, so both `train_on_batch` calls only
warn "The model does not have any trainable weights" and the classifier and
discriminator never change -- only the generator trains. Fix: set
`trainable=True` before the mlp/dis steps and False before the generator
steps (or write a custom train_step).
---
source: https://github.com/SankhaSubhra/GAMO/issues/4
framework: keras3
outcome: trains_silently
cause: frozen_model
line: [85, 89]
variables: [mlp_d1, mlp_d2, mlp_out]
"""
import os; os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Input, Dense, RepeatVector, Lambda, BatchNormalization, Concatenate, LeakyReLU
from tensorflow.keras.models import Model
from tensorflow.keras.optimizers import Adam
from tensorflow.keras.utils import to_categorical
tf.keras.utils.set_random_seed(0)

D, c, latDim = 16, 3, 8


def denseGamoGenCreate(latDim):
    noise = Input(shape=(latDim,))
    labels = Input(shape=(c,))
    gamoGenInput = Concatenate()([noise, labels])
    x = Dense(32, activation='relu', name="gen_d1")(gamoGenInput)
    x = BatchNormalization(momentum=0.9)(x)
    x = Dense(8, activation='relu', name="gen_d2")(x)
    gamoGenFinal = BatchNormalization(momentum=0.9)(x)
    return Model([noise, labels], gamoGenFinal, name="gen")


def denseGenProcessCreate(numMinor, dataMinor, i):
    ip1 = Input(shape=(8,))
    x = Dense(numMinor, activation='softmax', name="genP%d_d" % i)(ip1)
    x = RepeatVector(D)(x)
    genProcessFinal = Lambda(lambda x: tf.reduce_sum(x * tf.transpose(tf.constant(dataMinor)), axis=2))(x)
    return Model(ip1, genProcessFinal, name="genP%d" % i)


def denseDisCreate():
    imIn = Input(shape=(D,))
    labels = Input(shape=(c,))
    disInput = Concatenate()([imIn, labels])
    x = LeakyReLU(0.1)(Dense(32, name="dis_d1")(disInput))
    x = LeakyReLU(0.1)(Dense(16, name="dis_d2")(x))
    disFinal = Dense(1, activation='sigmoid', name="dis_out")(x)
    return Model([imIn, labels], disFinal, name="dis")


def denseMlpCreate():
    imIn = Input(shape=(D,))
    x = LeakyReLU(0.1)(Dense(32, name="mlp_d1")(imIn))
    x = LeakyReLU(0.1)(Dense(16, name="mlp_d2")(x))
    mlpFinal = Dense(c, activation='softmax', name="mlp_out")(x)
    return Model(imIn, mlpFinal, name="mlp")


# imbalanced toy data: class 0 is the minority
n = 64
labelTr = np.concatenate([np.zeros(8), np.random.randint(1, c, n - 8)]).astype(int)
trainS = (np.random.randn(n, D) + labelTr[:, None]).astype("float32")
trainS = np.tanh(trainS)
labelsCat = to_categorical(labelTr, c)
classMap = [np.where(labelTr == i)[0] for i in range(c)]
imbClsNum = 1

# model initialization
mlp = denseMlpCreate()
mlp.compile(loss='mean_squared_error', optimizer=Adam(0.0002, 0.5))
mlp.trainable = False

dis = denseDisCreate()
dis.compile(loss='mean_squared_error', optimizer=Adam(0.0002, 0.5))
dis.trainable = False

gen = denseGamoGenCreate(latDim)

gen_processed, genP_mlp, genP_dis = list(), list(), list()
for i in range(imbClsNum):
    dataMinor = trainS[classMap[i], :]
    numMinor = dataMinor.shape[0]
    gen_processed.append(denseGenProcessCreate(numMinor, dataMinor, i))

    ip1, ip2 = Input(shape=(latDim,)), Input(shape=(c,))
    op3 = mlp(gen_processed[i](gen([ip1, ip2])))
    genP_mlp.append(Model(inputs=[ip1, ip2], outputs=op3))
    genP_mlp[i].compile(loss='mean_squared_error', optimizer=Adam(0.0002, 0.5))

    ip1, ip2, ip3 = Input(shape=(latDim,)), Input(shape=(c,)), Input(shape=(c,))
    op3 = dis([gen_processed[i](gen([ip1, ip2])), ip3])
    genP_dis.append(Model(inputs=[ip1, ip2, ip3], outputs=op3))
    genP_dis[i].compile(loss='mean_squared_error', optimizer=Adam(0.0002, 0.5))

snap = {m.name: [w.numpy().copy() for w in m.weights] for m in (mlp, dis, gen)}

# training
batchSize, genClassPoints = 16, 6
for step in range(3):
    for x1 in range(0, n, batchSize):
        x2 = x1 + batchSize
        validR = np.ones((batchSize, 1)) - np.random.uniform(0, 0.1, size=(batchSize, 1))
        l_mlp = mlp.train_on_batch(trainS[x1:x2], labelsCat[x1:x2])
        l_dis = dis.train_on_batch([trainS[x1:x2], labelsCat[x1:x2]], validR)

        invalid = np.zeros((batchSize, 1)) + np.random.uniform(0, 0.1, size=(batchSize, 1))
        randNoise = np.random.normal(0, 1, (batchSize, latDim))
        fakeLabel = to_categorical(np.zeros(batchSize), c)
        fakePoints = gen_processed[0].predict(gen.predict([randNoise, fakeLabel], verbose=0), verbose=0)
        mlp.train_on_batch(fakePoints, fakeLabel)
        dis.train_on_batch([fakePoints, fakeLabel], invalid)

        for i1 in range(imbClsNum):
            validA = np.ones((genClassPoints, 1))
            randomLabel = np.zeros((genClassPoints, c)); randomLabel[:, i1] = 1
            randNoise = np.random.normal(0, 1, (genClassPoints, latDim))
            oppositeLabel = np.ones((genClassPoints, c)) - randomLabel
            genP_mlp[i1].train_on_batch([randNoise, randomLabel], oppositeLabel)
            genP_dis[i1].train_on_batch([randNoise, randomLabel, randomLabel], validA)
    print("step", step, "mlp loss", float(np.ravel(l_mlp)[0]), "dis loss", float(np.ravel(l_dis)[0]))

for m in (mlp, dis, gen):
    changed = any(not np.allclose(a, b.numpy()) for a, b in zip(snap[m.name], m.weights))
    print(m.name, "trainable weights:", len(m.trainable_weights), "weights changed:", changed)
