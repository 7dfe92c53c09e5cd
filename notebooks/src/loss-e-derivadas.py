# %% [markdown]
# # Loss e Derivadas, com tinygrad_edu
#
# > "O modelo chutou X, a resposta era Y, quão errado ele está?" Derivadas entram
# > porque você precisa saber *em que direção ajustar* para errar menos.
#
# Este notebook segue a aula item por item. Nas células marcadas **Exercício**
# é você quem escreve o código; a célula de **conferência** logo depois diz se a
# sua resposta está certa, comparando com a biblioteca.

# %%
import sys

if "google.colab" in sys.modules:
    print(
        "No Colab, instale o pacote antes de continuar:\n"
        "  1. no computador, na pasta do projeto: make wheel (gera dist/tinygrad_edu-*.whl);\n"
        "  2. envie o arquivo .whl pelo painel Arquivos do Colab;\n"
        "  3. rode numa célula: %pip install tinygrad_edu-0.1.0-py3-none-any.whl\n"
        "Ou, se o repositório estiver num servidor git público: %pip install git+URL_DO_REPOSITÓRIO"
    )


# %%
def confere(nome, calcula, tolerancia=1e-9):
    """Roda a sua resposta e a da biblioteca e diz, em português, se elas concordam."""
    try:
        sua, certa = calcula()
    except NotImplementedError:
        print(f"⏳ {nome}: ainda não feito. Escreva a sua resposta na célula do exercício e rode-a.")
        return False
    if abs(sua - certa) <= tolerancia * max(1.0, abs(certa)):
        print(f"✅ {nome}: certo! A sua resposta ({sua:.8g}) é a da biblioteca.")
        return True
    print(f"❌ {nome}: ainda não. A sua resposta deu {sua:.8g}; a da biblioteca, {certa:.8g}.")
    return False


# %% [markdown]
# ## 1. Revisão: derivadas
#
# A derivada f'(x) diz quanto f muda por unidade de mudança em x:
# f'(x) ≈ (f(x + h) - f(x)) / h para h pequeno. Para f(x) = x², f'(3) = 6.
# Um `Value` guarda um número e lembra como foi calculado; `backward()` calcula a derivada.

# %%
from tinygrad_edu import Value, draw_dot, grad

x = Value(3.0, label="x")
f = x**2
f.backward()
print("backward:", x.grad, "  definição com h = 0.001:", ((3.0 + 0.001) ** 2 - 3.0**2) / 0.001)

# %% [markdown]
# A regra da cadeia: para f(x) = tanh(2x), f'(x) = 2 · (1 - tanh²(2x)). O grafo
# mostra cada nó com `data` e `grad`:

# %%
x = Value(0.5, label="x")
f = (2 * x).tanh()
f.label = "f"
f.backward()
draw_dot(f)

# %% [markdown]
# ### Onde os gradientes se acumulam
#
# O `grad` das folhas **soma** (`+=`) a cada `backward()`, como no PyTorch. Rode a
# célula abaixo duas vezes sem zerar e o gradiente dobra; por isso, antes de cada
# `backward()` de um treino, chame `model.zero_grad()` (ou zere `x.grad = 0.0`).

# %%
f.backward()
print("depois de um segundo backward():", x.grad, "(o dobro)")
x.grad = 0.0
f.backward()
print("zerado e de novo:", x.grad)

# %% [markdown]
# ## 2. Gradiente como direção
#
# O gradiente junta as derivadas parciais e aponta para onde a função **cresce**
# mais rápido; o negativo, para onde ela **decresce**. Para
# L(a, b) = (a - 1)² + 2(b + 0.5)² em (0, 0), o gradiente é (-2, 2).

# %%
import matplotlib.pyplot as plt

a, b = Value(0.0, label="a"), Value(0.0, label="b")
L = (a - 1) ** 2 + 2 * (b + 0.5) ** 2
gradiente = grad(L, [a, b])
print("L =", L.data, " gradiente =", gradiente)

pontos = [i / 10 for i in range(-10, 21)]
alturas = [[(u - 1) ** 2 + 2 * (v + 0.5) ** 2 for u in pontos] for v in pontos]
figura, eixos = plt.subplots(figsize=(5, 4))
eixos.contour(pontos, pontos, alturas, levels=15)
eixos.quiver(0, 0, -gradiente[0], -gradiente[1], color="red", angles="xy", scale_units="xy", scale=4)
eixos.set(xlabel="a", ylabel="b", title="curvas de nível de L e o gradiente negativo")
plt.show()

# %% [markdown]
# ## 3. Dados com labels: pontos 2D com classes 0/1

# %%
from tinygrad_edu.data import make_moons

X, y = make_moons(12, seed=0)
print(len(X), "pontos;", y.count(0), "da classe 0 e", y.count(1), "da classe 1")

# %% [markdown]
# ## 4. O MLP
#
# Duas entradas, uma camada escondida de 4 neurônios tanh e uma saída linear, o
# *logit* z. A probabilidade da classe 1 é p = sigmoid(z).

# %%
from tinygrad_edu.nn import MLP

model = MLP(2, [4, 1], seed=0)
probabilidades = [model(x).sigmoid() for x in X]
model

# %% [markdown]
# ## 5. Exercício 1: implemente o MSE
#
# MSE = (1/n) Σ (pᵢ - yᵢ)². Escreva a função com operações de `Value`.

# %% tags=["exercise"]
def mse(previsoes, alvos):
    # >>> solução
    erros = [(p - y) ** 2 for p, y in zip(previsoes, alvos)]
    return sum(erros) / len(erros)
    # <<< solução


print(mse(probabilidades, y))

# %%
from tinygrad_edu import losses

confere("MSE", lambda: (mse(probabilidades, y).data, losses.mse(probabilidades, y).data))

# %% [markdown]
# ## 6. Exercício 2: implemente a cross-entropy
#
# CE = -(1/n) Σ [yᵢ log pᵢ + (1 - yᵢ) log(1 - pᵢ)]. Use `p.log()`, não `math.log`.

# %% tags=["exercise"]
def cross_entropy(probabilidades, alvos):
    # >>> solução
    termos = [-(y * p.log() + (1 - y) * (1 - p).log()) for p, y in zip(probabilidades, alvos)]
    return sum(termos) / len(termos)
    # <<< solução


print(cross_entropy(probabilidades, y))

# %%
confere(
    "cross-entropy",
    lambda: (
        cross_entropy(probabilidades, y).data,
        losses.binary_cross_entropy(probabilidades, y).data,
    ),
)

# %% [markdown]
# ## 7. Compare os valores para o mesmo input
#
# `compare_losses` põe lado a lado, exemplo por exemplo, os dois termos e suas
# derivadas em relação a z; os exemplos mais errados vêm primeiro.

# %%
comparacao = losses.compare_losses(model, X, y)
comparacao

# %% [markdown]
# ## 8. Quando usar cada loss: a corrida
#
# **MSE para regressão, cross-entropy para classificação.** O MSE carrega o fator
# sigmoid'(z) = p(1 - p), que vai a zero quando o neurônio satura: um modelo
# confiante e errado quase não aprende. A mesma rede, deixada confiante e errada,
# treinada com cada loss a partir dos mesmos pesos:

# %%
from tinygrad_edu.optim import SGD

X_corrida, y_corrida = make_moons(40, seed=0)


def loss_de(rede, qual):
    logits = [rede(x) for x in X_corrida]
    if qual == "MSE":
        return losses.mse([z.sigmoid() for z in logits], y_corrida)
    return losses.binary_cross_entropy_with_logits(logits, y_corrida)


def acuracia(rede):
    acertos = [(rede(x).data > 0) == (alvo == 1) for x, alvo in zip(X_corrida, y_corrida)]
    return sum(acertos) / len(acertos)


inicio = MLP(2, [8, 1], seed=0)
otimizador = SGD(inicio.parameters(), lr=0.5)
for _ in range(60):  # primeiro aprende...
    otimizador.zero_grad()
    loss_de(inicio, "CE").backward()
    otimizador.step()
for peso in inicio.layers[-1].parameters():  # ...depois fica confiante e errada
    peso.data *= -4.0

historico = {}
for qual in ("MSE", "CE"):
    rede = MLP(2, [8, 1], seed=0)
    for (_, meu), (_, dele) in zip(rede.named_parameters(), inicio.named_parameters()):
        meu.data = dele.data
    otimizador = SGD(rede.parameters(), lr=0.5)
    historico[qual] = [acuracia(rede)]
    for _ in range(12):
        otimizador.zero_grad()
        loss_de(rede, qual).backward()
        otimizador.step()
        historico[qual].append(acuracia(rede))

figura, eixos = plt.subplots(figsize=(6, 3.5))
eixos.plot(historico["MSE"], label="MSE")
eixos.plot(historico["CE"], label="cross-entropy")
eixos.set(xlabel="época", ylabel="acurácia", ylim=(0, 1.05), title="a corrida: mesmo começo")
eixos.legend()
plt.show()

# %% [markdown]
# ## 9. Gradient check
#
# O entregável: perturbe um peso em +0.001, recalcule o loss e compare
# (loss_novo - loss_original) / 0.001 com a derivada analítica. A diferença deve
# ser < 1e-5. `calcula_loss` recalcula o loss a partir dos pesos atuais.

# %%
def calcula_loss():
    return losses.binary_cross_entropy_with_logits([model(x) for x in X], y)


peso = dict(model.named_parameters())["layers.1.neurons.0.b"]
model.zero_grad()
calcula_loss().backward()
print("derivada analítica:", peso.grad)

# %% [markdown]
# ### Exercício 3: a diferença progressiva
#
# Escreva `diferenca_progressiva`: mova `peso.data` em +h, recalcule o loss, devolva
# (loss_novo - loss_original) / h e **devolva o peso ao valor original**.

# %% tags=["exercise"]
def diferenca_progressiva(calcula_loss, peso, h=0.001):
    # >>> solução
    original = peso.data
    loss_original = calcula_loss().data
    peso.data = original + h
    loss_novo = calcula_loss().data
    peso.data = original
    return (loss_novo - loss_original) / h
    # <<< solução


print(diferenca_progressiva(calcula_loss, peso))

# %%
from tinygrad_edu.gradcheck import gradcheck, nudge, numerical_derivative

confere(
    "diferença progressiva",
    lambda: (
        diferenca_progressiva(calcula_loss, peso),
        numerical_derivative(calcula_loss, peso, method="forward"),
    ),
)

# %% [markdown]
# ### Por que ela não atinge 1e-5, e a diferença central
#
# Pela série de Taylor, (L(w + h) - L(w)) / h = L'(w) + (h/2)·L''(w) + O(h²): a
# diferença progressiva erra por cerca de (h/2)·L''(w), a curvatura do loss, não um
# bug. A diferença central (L(w + h) - L(w - h)) / (2h) cancela esse termo e erra
# por cerca de h²/6 · L'''. `gradcheck` faz as duas contas para todos os pesos e
# mostra o erro previsto ao lado do medido:

# %%
gradcheck(calcula_loss, model, method="forward", atol=1e-5, rtol=0)

# %%
gradcheck(calcula_loss, model, method="central", atol=1e-5, rtol=0)

# %% [markdown]
# ## 10. "Se eu mexer nesse peso um pouquinho pra cima, o loss sobe ou desce?"
#
# O sinal da derivada responde: positiva, sobe; negativa, desce; a mudança é
# cerca de derivada × h.
#
# ### Exercício 4: o empurrão
#
# Escreva `empurrao`: devolva quanto o loss muda (loss_novo - loss_original)
# quando o peso sobe h, e devolva o peso ao valor original.

# %% tags=["exercise"]
def empurrao(calcula_loss, peso, h=0.001):
    # >>> solução
    original = peso.data
    antes = calcula_loss().data
    peso.data = original + h
    depois = calcula_loss().data
    peso.data = original
    return depois - antes
    # <<< solução


print(empurrao(calcula_loss, peso))

# %%
confere(
    "empurrão",
    lambda: (empurrao(calcula_loss, peso), nudge(calcula_loss, peso).actual_change),
)

# %%
nudge(calcula_loss, peso, name="layers.1.neurons.0.b")

# %% [markdown]
# ## 11. Mexa você mesmo
#
# Com o extra `notebook` instalado, um controle deslizante move o peso e outro o h;
# a célula mostra o loss, o gradiente e as duas diferenças finitas, e o botão
# empurra o peso em +h e diz se o loss sobe ou desce.

# %%
try:
    import ipywidgets
except ImportError:
    print("Para os controles deslizantes, instale: pip install 'tinygrad_edu[notebook]'")
else:
    valor_original = peso.data

    def mostra(w=valor_original, h=0.001):
        peso.data = w
        (derivada,) = grad(calcula_loss(), [peso])
        progressiva = numerical_derivative(calcula_loss, peso, h=h, method="forward")
        central = numerical_derivative(calcula_loss, peso, h=h, method="central")
        print(f"loss = {calcula_loss().data:.8f}   gradiente = {derivada:.8f}")
        print(f"progressiva = {progressiva:.8f}   central = {central:.8f}")

    controle_w = ipywidgets.FloatSlider(value=valor_original, min=-3, max=3, step=0.01)
    controle_h = ipywidgets.FloatLogSlider(value=0.001, base=10, min=-6, max=-1)
    ipywidgets.interact(mostra, w=controle_w, h=controle_h)

    botao = ipywidgets.Button(description="empurrar o peso +h")
    resposta = ipywidgets.HTML()

    def empurra(_botao):
        peso.data = controle_w.value
        resposta.value = nudge(calcula_loss, peso, h=controle_h.value, name="peso").html()

    botao.on_click(empurra)
    display(ipywidgets.VBox([botao, resposta]))
    empurra(botao)
    peso.data = valor_original

# %% [markdown]
# ## Próximo passo
#
# A mesma rede, as mesmas contas, em PyTorch:
# [do tinygrad_edu ao PyTorch](../docs/do-tinygrad-edu-ao-pytorch.md).
